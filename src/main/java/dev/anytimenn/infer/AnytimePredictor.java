package dev.anytimenn.infer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.engine.EngineGuard;
import dev.anytimenn.engine.NativeMemory;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.ConvolutionCases;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.train.RunFolder;
import dev.anytimenn.train.TrainedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Runs a trained anytime network one unit at a time, in inference mode, and stops by a
 * {@link StoppingRule}. In a batch, samples that have their answer leave it and the rest go on, so
 * no compute is spent on them.
 *
 * <p>Not thread-safe: use one predictor per thread (they may share nothing but the files).
 */
public final class AnytimePredictor implements AutoCloseable {


    private final AnytimeNetwork net;
    private final Normalization normalization;
    private final NDManager manager;
    private final boolean ownsManager;
    private final ParameterStore parameterStore;
    private final List<ExitCost> exits;
    private final long[] stepMacs;
    private final float[][] pixelLookup;
    private final StepLatencies latencies;

    public AnytimePredictor(AnytimeNetwork net, Normalization normalization, NDManager manager) {
        this(net, normalization, manager, false);
    }

    private AnytimePredictor(AnytimeNetwork net, Normalization normalization, NDManager manager, boolean owns) {
        NativeMemory.retainFreedMemory();
        EngineGuard.requireSoundConvolutions(manager, ConvolutionCases.of(net));
        this.net = net;
        this.normalization = normalization;
        this.manager = manager;
        this.ownsManager = owns;
        this.parameterStore = new ParameterStore(manager, false);
        this.exits = net.exitCosts();
        this.stepMacs = net.stepMacs();
        normalization.requireChannels(net.config().input().channels());
        this.pixelLookup = normalization.lookupTables();
        this.latencies = new StepLatencies(net.unitCount());
    }

    /** Opens the model of a run folder (or of the checkpoint file inside one). */
    public static AnytimePredictor open(Path run, Device device) throws IOException {
        TrainedModel model = TrainedModel.open(RunFolder.of(run), device);
        return new AnytimePredictor(model.network(), model.state().normalization(), model.manager(), true);
    }

    public AnytimeNetwork network() {
        return net;
    }

    public InputShape inputShape() {
        return net.config().input();
    }

    public List<ExitCost> exitCosts() {
        return exits;
    }

    /** Runs the whole network {@code runs} times on a blank image to measure each step's latency. */
    public void warmUp(int runs) {
        byte[] blank = new byte[inputSize()];
        for (int i = 0; i < runs; i++) {
            predict(blank, new StoppingRule.RunAll());
        }
    }

    /** The median recent latency of each step at batch 1, in milliseconds. */
    public double[] stepLatencyMs() {
        double[] ms = new double[net.unitCount()];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = latencies.median(i) / 1e6;
        }
        return ms;
    }

    public Prediction predict(byte[] pixels, StoppingRule rule) {
        return predictBatch(List.of(pixels), rule).get(0);
    }

    /** Predicts every image; each gets its own exit under a confidence rule. */
    public List<Prediction> predictBatch(List<byte[]> images, StoppingRule rule) {
        long start = System.nanoTime();
        if (images.isEmpty()) {
            return List.of();
        }
        // autograd is per thread; a thread that did not load the engine would record graphs
        if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
            JniUtils.setGradMode(false);
        }
        int n = images.size();
        Prediction[] answers = new Prediction[n];
        int targetExit = rule instanceof StoppingRule.CostBudget budget ? deepestExitWithin(budget.macs()) : -2;
        if (targetExit == -1) {
            Arrays.fill(answers, new Prediction(-1, new float[0], 0, 0, (System.nanoTime() - start) / 1e6));
            return List.of(answers);
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(toInput(images), inputShape().batchShape(n));
            AnytimeNetwork.Stepper stepper = net.stepper(parameterStore, x);
            int[] active = new int[n];
            Arrays.setAll(active, i -> i);
            float[][] latest = new float[n][];
            int latestExit = 0;
            long spent = 0;
            for (int unit = 0; unit < net.unitCount(); unit++) {
                if (rule instanceof StoppingRule.Deadline deadline
                        && System.nanoTime() - start + estimateToNextExit(unit) > deadline.nanos()) {
                    break;
                }
                long stepStart = System.nanoTime();
                Optional<NDArray> logits = stepper.next();
                spent += stepMacs[unit];
                if (logits.isPresent()) {
                    int exit = net.headAfter(unit);
                    float[] probabilities = logits.get().softmax(1).toFloatArray();
                    int classes = probabilities.length / active.length;
                    for (int r = 0; r < active.length; r++) {
                        latest[active[r]] = Arrays.copyOfRange(probabilities, r * classes, (r + 1) * classes);
                    }
                    latestExit = exit + 1;
                    if (rule instanceof StoppingRule.Confidence confidence && exit < net.headCount() - 1) {
                        long[] going = answerConfident(confidence.thresholds(), exit, active, latest, answers,
                                spent, start);
                        if (going.length < active.length) {
                            int[] before = active;
                            active = Arrays.stream(going).mapToInt(r -> before[(int) r]).toArray();
                            if (active.length == 0) {
                                recordLatency(unit, System.nanoTime() - stepStart, n);
                                break;
                            }
                            stepper.keepRows(going);
                        }
                    }
                }
                recordLatency(unit, System.nanoTime() - stepStart, n);
                if (logits.isPresent() && latestExit - 1 == targetExit) {
                    break;
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e6;
            for (int i : active) {
                answers[i] = latest[i] == null ? new Prediction(-1, new float[0], 0, spent, elapsed)
                        : new Prediction(argMax(latest[i]), latest[i], latestExit, spent, elapsed);
            }
        }
        return List.of(answers);
    }

    /**
     * Answers the active samples confident enough at {@code exit}; returns the positions, among the
     * active ones (the rows of the running batch), of those that go on.
     */
    private static long[] answerConfident(ExitThresholds thresholds, int exit, int[] active, float[][] latest,
            Prediction[] answers, long spent, long start) {
        long[] going = new long[active.length];
        int left = 0;
        double elapsed = (System.nanoTime() - start) / 1e6;
        for (int r = 0; r < active.length; r++) {
            int i = active[r];
            if (thresholds.leavesAt(exit, thresholds.score().score(latest[i]))) {
                answers[i] = new Prediction(argMax(latest[i]), latest[i], exit + 1, spent, elapsed);
            } else {
                going[left++] = r;
            }
        }
        return Arrays.copyOf(going, left);
    }

    private int deepestExitWithin(long budget) {
        int best = -1;
        for (ExitCost exit : exits) {
            if (exit.cumulativeMacs() <= budget) {
                best = exit.index() - 1;
            }
        }
        return best;
    }

    /** Expected nanoseconds from before {@code unit} until the next exit's answer is in hand. */
    private double estimateToNextExit(int unit) {
        double total = 0;
        for (int u = unit; u < net.unitCount(); u++) {
            total += latencies.estimate(u);
            if (net.headAfter(u) >= 0) {
                break;
            }
        }
        return total;
    }

    /** Keeps batch-1 step latencies, the ones deadlines are judged by. */
    private void recordLatency(int unit, long nanos, int batch) {
        if (batch == 1) {
            latencies.record(unit, nanos);
        }
    }

    private int inputSize() {
        InputShape s = inputShape();
        return s.channels() * s.height() * s.width();
    }

    private float[] toInput(List<byte[]> images) {
        int size = inputSize();
        int plane = inputShape().height() * inputShape().width();
        float[] input = new float[images.size() * size];
        for (int i = 0; i < images.size(); i++) {
            byte[] pixels = images.get(i);
            if (pixels.length != size) {
                throw new IllegalArgumentException("image " + i + " has " + pixels.length + " pixels, the model takes "
                        + inputShape() + " = " + size);
            }
            // C x H x W: each channel plane has its own table
            for (int p = 0; p < size; p++) {
                input[i * size + p] = pixelLookup[p / plane][pixels[p] & 0xff];
            }
        }
        return input;
    }

    private static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    public Normalization normalization() {
        return normalization;
    }

    @Override
    public void close() {
        if (ownsManager) {
            manager.close();
        }
    }
}
