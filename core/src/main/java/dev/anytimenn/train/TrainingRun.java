package dev.anytimenn.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.anytimenn.data.DataConfig;
import dev.anytimenn.data.DataFormatException;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.MissingDataException;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.data.Split;
import dev.anytimenn.eval.ExitEvaluator;
import dev.anytimenn.eval.ExitMetrics;
import dev.anytimenn.eval.report.EpochSummary;
import dev.anytimenn.eval.report.ExitResult;
import dev.anytimenn.eval.report.ReportFiles;
import dev.anytimenn.eval.report.RunReport;
import dev.anytimenn.eval.report.TestPredictions;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.store.ModelStore;
import dev.anytimenn.weighting.LossWeighting;
import dev.anytimenn.weighting.LossWeightings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A whole run as a user starts it: load the data, build or restore the network, train with
 * checkpoints, evaluate every exit on the test set and write the reports into the run folder.
 */
public final class TrainingRun {

    private static final int EVAL_BATCH = 256;

    private TrainingRun() {}

    /** Starts a new run in {@code folder}. */
    public static RunReport train(RunConfig config, RunFolder folder, Device device, TrainingListener listener)
            throws IOException, MissingDataException, DataFormatException {
        checkWeighting(config);
        // the data is read before the folder is made, so a run that cannot start leaves nothing behind
        TrainingData data = trainingData(config);
        ImageSet test = config.data().loadTest();
        folder.writeConfig(config);
        return trainOrResume(config, folder, device, listener, data, test, null);
    }

    /** Fails fast, before any data is read, when the weighting does not fit the network. */
    private static void checkWeighting(RunConfig config) {
        int heads = Architectures.build(config.model()).headCount();
        TrainConfig training = config.training();
        LossWeightings.create(training.weighting(), heads, training.seed());
    }

    /** Continues a run from its last checkpoint; a finished run is only re-evaluated. */
    public static RunReport resume(RunFolder folder, Device device, TrainingListener listener)
            throws IOException, MissingDataException, DataFormatException {
        if (!folder.hasCheckpoint()) {
            throw new IOException(folder.dir() + ": no checkpoint to resume from (" + RunFolder.CHECKPOINT
                    + " is missing)");
        }
        RunConfig config = folder.readConfig();
        Checkpoints.Contents checkpoint = Checkpoints.read(folder.checkpoint());
        TrainingData data = trainingData(config);
        return trainOrResume(config, folder, device, listener,
                new TrainingData(data.train(), data.validation(), checkpoint.state().normalization()),
                config.data().loadTest(), checkpoint);
    }

    private static RunReport trainOrResume(RunConfig config, RunFolder folder, Device device,
            TrainingListener listener, TrainingData data, ImageSet test, Checkpoints.Contents checkpoint)
            throws IOException {
        TrainConfig training = config.training();
        Engine.getInstance().setRandomSeed((int) training.seed());
        try (NDManager manager = NDManager.newBaseManager(device)) {
            AnytimeNetwork net = checkpoint == null
                    ? Architectures.buildInitialized(config.model(), manager)
                    : Checkpoints.loadNetwork(folder.checkpoint(), checkpoint, config.model(), manager);
            LossWeighting weighting = LossWeightings.create(training.weighting(), net.headCount(), training.seed());
            try (AnytimeTrainer trainer = new AnytimeTrainer(net, manager, training, weighting, listener,
                    folder.checkpoint()).writingModelFile(folder.modelFile(),
                            ModelStore.classNames(config.data(), net.config().classes()))) {
                if (checkpoint != null) {
                    trainer.resumeFrom(folder.checkpoint(), checkpoint);
                }
                trainer.fit(data);
                ExitEvaluator.ImageResults results = ExitEvaluator.evaluateImages(net, manager, test,
                        data.normalization(), EVAL_BATCH);
                return writeReports(folder, config, net, results, trainer.history(), trainer.trainingSeconds());
            }
        }
    }

    /** Evaluates a run's checkpoint on the test set of its data (or of {@code data}, when given). */
    public static RunReport evaluate(RunFolder folder, DataConfig data, Device device)
            throws IOException, MissingDataException, DataFormatException {
        RunConfig config = folder.readConfig();
        Checkpoints.Contents checkpoint = Checkpoints.read(folder.checkpoint());
        try (NDManager manager = NDManager.newBaseManager(device)) {
            AnytimeNetwork net = ModelStore.loadCheckpointParameters(folder.checkpoint(), checkpoint.blocks(),
                    config.model(), manager);
            ImageSet test = (data == null ? config.data() : data).loadTest();
            CheckpointState state = checkpoint.state();
            ExitEvaluator.ImageResults results = ExitEvaluator.evaluateImages(net, manager, test,
                    state.normalization(), EVAL_BATCH);
            return writeReports(folder, config, net, results, state.history(), state.trainingSeconds());
        }
    }

    /**
     * Writes the per-image predictions (when the classes fit, see {@link TestPredictions}) and then the
     * reports, so a run with a report.json also has its predictions.
     */
    private static RunReport writeReports(RunFolder folder, RunConfig config, AnytimeNetwork net,
            ExitEvaluator.ImageResults results, List<EpochSummary> history, double trainingSeconds)
            throws IOException {
        if (net.config().classes() <= TestPredictions.MAX_CLASSES) {
            TestPredictions.of(results.labels(), results.predicted())
                    .write(folder.dir().resolve(TestPredictions.FILE));
        }
        RunReport report = report(folder, config, net, results.metrics(), history, trainingSeconds);
        ReportFiles.writeAll(report, folder.dir());
        return report;
    }

    /**
     * Train/validation split (the data set's own validation part, else the last {@code valSize}
     * training images), the optional limit, and the normalisation fitted on what is trained on.
     */
    public static TrainingData trainingData(RunConfig config)
            throws IOException, MissingDataException, DataFormatException {
        TrainConfig training = config.training();
        ImageSet all = config.data().loadTrain();
        // an image folder with its own val/ part validates on it; otherwise the last images are held out
        Optional<ImageSet> ownValidation = config.data().loadValidation();
        Split split = ownValidation.isPresent() ? new Split(all, ownValidation.get())
                : Split.holdOutLast(all, training.valSize());
        ImageSet train = split.train();
        if (training.trainLimit() > 0 && training.trainLimit() < train.size()) {
            train = train.slice(0, training.trainLimit());
        }
        return new TrainingData(train, split.validation(), Normalization.fit(train));
    }

    private static RunReport report(RunFolder folder, RunConfig config, AnytimeNetwork net, ExitMetrics metrics,
            List<EpochSummary> history, double trainingSeconds) {
        List<ExitCost> costs = net.exitCosts();
        List<ExitResult> exits = new ArrayList<>();
        for (ExitCost c : costs) {
            exits.add(new ExitResult(c.index(), c.afterUnit(), c.macs(), c.cumulativeMacs(),
                    metrics.accuracy()[c.index() - 1]));
        }
        return new RunReport(folder.name(), OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                config.data().dataset(), metrics.images(), Jsons.MAPPER.valueToTree(config), exits, history,
                trainingSeconds);
    }
}
