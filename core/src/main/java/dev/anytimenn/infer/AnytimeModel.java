package dev.anytimenn.infer;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.store.ModelFile;
import dev.anytimenn.store.ModelStore;
import dev.anytimenn.store.RunFiles;
import dev.anytimenn.store.StoredThresholds;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A trained anytime network opened for inference: from a model file, a folder holding one, a run
 * folder or a checkpoint (see {@link ModelStore}). It holds the parameters; its predictors share them.
 * Closing it frees them.
 */
public final class AnytimeModel implements AutoCloseable {

    private final Path source;
    private final ModelFile description;
    private final AnytimeNetwork network;
    private final NDManager manager;

    private AnytimeModel(Path source, ModelFile description, AnytimeNetwork network, NDManager manager) {
        this.source = source;
        this.description = description;
        this.network = network;
        this.manager = manager;
    }

    /** Opens and checks {@code path}; a bad file gets a one-line message naming it and the field. */
    public static AnytimeModel open(Path path, Device device) throws IOException {
        NDManager manager = NDManager.newBaseManager(device);
        try {
            ModelStore.Loaded loaded = ModelStore.load(path, manager);
            return new AnytimeModel(path, loaded.description(), loaded.network(), manager);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** A new predictor on this model's parameters (one per thread). */
    public AnytimePredictor predictor() {
        return new AnytimePredictor(network, description.normalization(), manager);
    }

    /** What the model file says: architecture, options, classes, normalisation, exits, thresholds. */
    public ModelFile description() {
        return description;
    }

    public AnytimeNetwork network() {
        return network;
    }

    /** The manager holding the parameters; per-batch work belongs in sub-managers of it. */
    public NDManager manager() {
        return manager;
    }

    public InputShape inputShape() {
        return description.input();
    }

    public Normalization normalization() {
        return description.normalization();
    }

    public List<String> classNames() {
        return description.classNames();
    }

    public List<ExitCost> exitCosts() {
        return description.exits();
    }

    /** The calibrated thresholds the model carries, if it was calibrated. */
    public Optional<ExitThresholds> thresholds() {
        StoredThresholds stored = description.thresholds();
        return stored == null ? Optional.empty()
                : Optional.of(new ExitThresholds(ConfidenceScore.parse(stored.score()), stored.thresholds()));
    }

    /** The stored thresholds; a model that has none is an error that says how to make them. */
    public ExitThresholds calibratedThresholds() throws IOException {
        return thresholds().orElseThrow(() -> new IOException(source + ": no calibrated thresholds ("
                + RunFiles.THRESHOLDS + "); make them with: anytime eval RUN_DIR --protocol budgeted"));
    }

    /** Writes this model as a model file (thresholds included when it has them). */
    public void export(Path target) throws IOException {
        ModelStore.write(target, description, network);
    }

    /** Writes this model as a model file carrying {@code calibrated} as its thresholds. */
    public void export(Path target, ExitThresholds calibrated) throws IOException {
        StoredThresholds stored = new StoredThresholds(calibrated.score().cliName(), calibrated.thresholds());
        ModelStore.write(target, description.withThresholds(stored), network);
    }

    @Override
    public void close() {
        manager.close();
    }
}
