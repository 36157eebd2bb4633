package dev.anytimenn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.anytimenn.data.Augmentation;
import dev.anytimenn.data.Batch;
import dev.anytimenn.data.BatchLoader;
import dev.anytimenn.eval.ExitEvaluator;
import dev.anytimenn.eval.ExitMetrics;
import dev.anytimenn.eval.Losses;
import dev.anytimenn.eval.report.EpochSummary;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.EngineSetup;
import dev.anytimenn.store.ModelFile;
import dev.anytimenn.store.ModelStore;
import dev.anytimenn.weighting.LossWeighting;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Trains all heads of an anytime network jointly on sum_i B_i CE_i, with B from a
 * {@link LossWeighting} each step, and checkpoints after every epoch.
 *
 * <p>Every array made for a batch lives in a sub-manager closed after the step, so native memory
 * stays flat over a run. Batches, augmentation and the weighting depend only on (seed, epoch, step),
 * so a run resumed from a checkpoint replays what an uninterrupted run would do.
 */
public final class AnytimeTrainer implements AutoCloseable {

    /**
     * Batches the running BatchNorm statistics are recomputed on after the last epoch: with DJL's
     * momentum (running = 0.9 running + 0.1 batch) 50 updates leave 0.5 % of the old statistics.
     */
    static final int BN_REFRESH_BATCHES = 50;

    private final AnytimeNetwork net;
    private final NDManager manager;
    private final TrainConfig config;
    private final LossWeighting weighting;
    private final TrainingListener listener;
    private final Path checkpointFile;
    private final SgdOptimizer optimizer;
    private final LearningRateSchedule schedule;
    private final ParameterStore parameterStore;
    private final Distillation distillation; // null for none

    private Path modelFile;
    private List<String> classNames;

    private int epochsDone;
    private long step;
    private double trainingSeconds;
    private final List<EpochSummary> history = new ArrayList<>();

    /**
     * @param checkpointFile where to write a checkpoint after every epoch; null for none
     */
    public AnytimeTrainer(AnytimeNetwork net, NDManager manager, TrainConfig config, LossWeighting weighting,
            TrainingListener listener, Path checkpointFile) {
        if (weighting.heads() != net.headCount()) {
            throw new IllegalArgumentException("weighting is for " + weighting.heads() + " heads but the network has "
                    + net.headCount());
        }
        EngineSetup.prepare(net, manager);
        this.net = net;
        this.manager = manager;
        this.config = config;
        this.weighting = weighting;
        this.listener = listener == null ? TrainingListener.SILENT : listener;
        this.checkpointFile = checkpointFile;
        this.optimizer = new SgdOptimizer(net, manager, config.momentum(), config.nesterov(), config.weightDecay(),
                config.scaleHeadDecay() ? HeadDecay.scales(net, weighting.staticWeights()) : java.util.Map.of());
        this.distillation = config.distillation().orElse(null);
        this.schedule = LearningRateSchedule.of(config);
        this.parameterStore = new ParameterStore(manager, false);
    }

    /**
     * Also writes the deployable model file ({@link ModelFile}) after every epoch, beside the
     * checkpoint; {@code classNames} go into it.
     */
    public AnytimeTrainer writingModelFile(Path file, List<String> names) {
        this.modelFile = file;
        this.classNames = List.copyOf(names);
        return this;
    }

    /** Continues from a checkpoint of the same run (its network must already hold its parameters). */
    public void resumeFrom(Path file, Checkpoints.Contents contents) throws IOException {
        Checkpoints.loadOptimizer(file, contents, optimizer, manager);
        CheckpointState state = contents.state();
        weighting.restore(state.weighting());
        epochsDone = state.epochsDone();
        step = state.step();
        trainingSeconds = state.trainingSeconds();
        history.clear();
        history.addAll(state.history());
    }

    public int epochsDone() {
        return epochsDone;
    }

    public List<EpochSummary> history() {
        return List.copyOf(history);
    }

    public double trainingSeconds() {
        return trainingSeconds;
    }

    /** Trains the remaining epochs. */
    public void fit(TrainingData data) throws IOException {
        Augmentation augmentation = new Augmentation(config.cropPadding(), config.flip());
        while (epochsDone < config.epochs()) {
            int epoch = epochsDone;
            long start = System.nanoTime();
            double lossSum = 0;
            long images = 0;
            double lr = 0;
            double[] lastWeights = weighting.weights(step);
            try (BatchLoader loader = new BatchLoader(data.train(), data.normalization(), config.batchSize(),
                    augmentation, true, true, config.seed(), epoch)) {
                int steps = loader.batchesPerEpoch();
                if (steps == 0) {
                    throw new IllegalArgumentException("the training set (" + data.train().size()
                            + " images) is smaller than one batch (" + config.batchSize() + ")");
                }
                listener.epochStarted(epoch + 1, config.epochs(), steps);
                for (int i = 0; loader.hasNext(); i++) {
                    Batch batch = loader.next();
                    lr = schedule.rate(epoch + (double) i / steps);
                    lastWeights = weighting.weights(step);
                    double loss = trainStep(batch, lastWeights, lr, epoch + 1, i + 1);
                    lossSum += loss * batch.size();
                    images += batch.size();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    listener.stepFinished(epoch + 1, i + 1, loss, images / seconds);
                }
            }
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            if (epoch + 1 == config.epochs()) {
                refreshBatchNormStatistics(data);
            }
            ExitMetrics validation = data.validation().size() == 0 ? null
                    : ExitEvaluator.evaluate(net, manager, data.validation(), data.normalization(), 256);
            double seconds = (System.nanoTime() - start) / 1e9;
            trainingSeconds += seconds;
            epochsDone++;
            EpochSummary summary = new EpochSummary(epochsDone, lossSum / images, lr, seconds, images / trainSeconds,
                    validation == null ? null : validation.accuracy(), validation == null ? null : validation.loss(),
                    lastWeights);
            history.add(summary);
            if (checkpointFile != null) {
                Checkpoints.save(checkpointFile, net, optimizer,
                        new CheckpointState(epochsDone, step, trainingSeconds, data.normalization(),
                                weighting.state(), history));
            }
            if (modelFile != null) {
                ModelStore.write(modelFile, ModelFile.of(net.config(), classNames, data.normalization(),
                        net.exitCosts(), null), net);
            }
            listener.epochFinished(summary);
        }
    }

    /**
     * Recomputes the running BatchNorm statistics with the final weights: forward passes in training
     * mode (no gradients, no parameter change) over up to {@link #BN_REFRESH_BATCHES} batches of
     * unaugmented training images. During training the running statistics trail the weights; in a
     * 31-step run they trailed them so far that evaluation was near chance while the same network,
     * normalised with current statistics, was at 40-50 % (bench/results/experiments/short-run.txt).
     * In a long run whose learning rate decays to zero they barely move.
     */
    private void refreshBatchNormStatistics(TrainingData data) {
        try (BatchLoader loader = new BatchLoader(data.train(), data.normalization(), config.batchSize(),
                Augmentation.NONE, true, true, config.seed(), config.epochs())) {
            for (int i = 0; i < BN_REFRESH_BATCHES && loader.hasNext(); i++) {
                Batch batch = loader.next();
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.create(batch.images(), net.config().input().batchShape(batch.size()));
                    net.forward(parameterStore, new NDList(x), true);
                }
            }
        }
    }

    /** One joint step over all heads; returns the weighted loss (with the distillation terms, if any). */
    private double trainStep(Batch batch, double[] weights, double lr, int epoch, int stepInEpoch) {
        float[] headLosses;
        double weighted = 0;
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(batch.images(), net.config().input().batchShape(batch.size()));
            NDArray y = Losses.labels(scope, batch.labels());
            NDArray b = scope.create(toFloats(weights));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList logits = net.forward(parameterStore, new NDList(x), true);
                NDList perHead = new NDList(logits.size());
                for (NDArray out : logits) {
                    perHead.add(Losses.crossEntropyMean(out, y));
                }
                NDArray losses = NDArrays.stack(perHead);
                NDArray total = losses.mul(b).sum();
                if (distillation != null && logits.size() > 1) {
                    NDArray teacher = logits.get(logits.size() - 1);
                    for (int i = 0; i < logits.size() - 1; i++) {
                        total = total.add(distillation.loss(logits.get(i), teacher));
                    }
                }
                collector.backward(total);
                headLosses = losses.toFloatArray();
                weighted = total.getFloat();
            }
            if (!Double.isFinite(weighted)) {
                throw diverged(headLosses, weighted, epoch, stepInEpoch, lr);
            }
            optimizer.step(lr);
        }
        double[] observed = new double[headLosses.length];
        for (int i = 0; i < observed.length; i++) {
            observed[i] = headLosses[i];
        }
        weighting.observe(step, observed);
        step++;
        return weighted;
    }

    private TrainingDivergedException diverged(float[] headLosses, double weighted, int epoch, int stepInEpoch,
            double lr) {
        int bad = 0;
        while (bad < headLosses.length - 1 && Float.isFinite(headLosses[bad])) {
            bad++;
        }
        String what = Float.isFinite(headLosses[bad]) ? "the weighted loss became " + weighted
                : "the loss of exit " + (bad + 1) + " became " + headLosses[bad];
        String kept = checkpointFile == null ? "" : epochsDone == 0 ? " (no epoch had finished, so there is no checkpoint)"
                : "; the last good checkpoint (epoch " + epochsDone + ") is kept in " + checkpointFile;
        return new TrainingDivergedException(String.format(Locale.ROOT,
                "%s at epoch %d, step %d (learning rate %.4g): training stopped%s. Try a lower --lr or a warm-up.",
                what, epoch, stepInEpoch, lr, kept));
    }

    private static float[] toFloats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    @Override
    public void close() {
        optimizer.close();
    }

    @Override
    public String toString() {
        return "AnytimeTrainer[" + config.weighting() + ", epoch " + epochsDone + "/" + config.epochs()
                + ", weights " + Arrays.toString(weighting.weights(step)) + "]";
    }
}
