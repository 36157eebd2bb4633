package dev.anytimenn.infer;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.onnx.NetworkGraphs;
import dev.anytimenn.ort.OrtNetwork;
import dev.anytimenn.ort.OrtSettings;
import dev.anytimenn.store.ModelFile;
import dev.anytimenn.store.ModelStore;
import dev.anytimenn.store.RunFiles;
import dev.anytimenn.store.StoredThresholds;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trained anytime network opened for inference: from a model file, a folder holding one, a run
 * folder or a checkpoint (see {@link ModelStore}). It holds the parameters; its predictors share them,
 * and run them by DJL or by ONNX Runtime ({@link #predictor(InferenceEngine)}). Closing it frees them.
 */
public final class AnytimeModel implements AutoCloseable {

    private final Path source;
    private final ModelFile description;
    private final AnytimeNetwork network;
    private final NDManager manager;
    /** ONNX Runtime's sessions of this network, by settings, made when first asked for. */
    private final Map<OrtSettings, OrtNetwork> ortNetworks = new HashMap<>();

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

    /** A new predictor on this model's parameters, run by DJL (one per thread). */
    public AnytimePredictor predictor() {
        return predictor(InferenceEngine.DJL);
    }

    /**
     * A new predictor run by {@code engine} (one per thread). ONNX Runtime's sessions are made at the
     * first such call for its settings and shared by the later predictors; a network with a part that has
     * no ONNX form is refused then, with a message naming it.
     */
    public AnytimePredictor predictor(InferenceEngine engine) {
        return predictor(engine, false);
    }

    AnytimePredictor predictor(InferenceEngine engine, boolean ownsModel) {
        AnytimeModel owner = ownsModel ? this : null;
        if (engine instanceof InferenceEngine.OnnxRuntime ort) {
            InferenceSteps steps = new OrtSteps(ortNetwork(ort.settings()), inputShape(), classNames().size(),
                    exitCosts());
            return new AnytimePredictor(network, normalization(), steps, owner);
        }
        return new AnytimePredictor(network, normalization(), new DjlSteps(network, normalization(), manager), owner);
    }

    /**
     * Every exit's logits for a batch of images at once (the whole network, no stopping), run by ONNX
     * Runtime's whole graph: what the evaluation protocols replay. DJL's counterpart is
     * {@code ExitEvaluator.forEachBatch}.
     *
     * @return [exit][sample * classes + class] for {@code images} ([sample][pixel], C x H x W each)
     */
    public float[][] exitLogits(List<byte[]> images, OrtSettings settings) {
        return ortNetwork(settings).allExits(OrtSteps.rawPixels(images, inputShape()),
                inputShape().batchShape(images.size()).getShape());
    }

    private synchronized OrtNetwork ortNetwork(OrtSettings settings) {
        if (!Device.Type.CPU.equals(manager.getDevice().getDeviceType())) {
            throw new IllegalArgumentException("the onnxruntime engine runs on the CPU; this model is on "
                    + manager.getDevice() + " (use --device cpu)");
        }
        OrtNetwork ort = ortNetworks.get(settings);
        if (ort == null) {
            ort = OrtNetwork.open(NetworkGraphs.of(network, description), settings);
            ortNetworks.put(settings, ort);
        }
        return ort;
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
    public synchronized void close() {
        try {
            ortNetworks.values().forEach(OrtNetwork::close);
            ortNetworks.clear();
        } finally {
            manager.close();
        }
    }
}
