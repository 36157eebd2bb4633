package dev.anytimenn.infer;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.model.InputShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Runs a trained anytime network step by step, in inference mode, and stops by a
 * {@link StoppingRule}. In a batch, samples that have their answer leave it and the rest go on, so
 * no compute is spent on them. The steps are the engine's ({@link InferenceEngine}): DJL runs one unit
 * at a time, ONNX Runtime one segment (up to the next exit); the rules, the latency estimates and the
 * answers are the same code for both.
 *
 * <p>Not thread-safe: use one predictor per thread (they may share nothing but the files).
 */
public final class AnytimePredictor implements AutoCloseable {

    private final AnytimeNetwork net;
    private final Normalization normalization;
    private final InferenceSteps steps;
    /** What closing this predictor closes: the model it opened itself, else nothing. */
    private final AnytimeModel owned;
    private final List<ExitCost> exits;
    private final long[] stepMacs;
    private final StepLatencies latencies;
    /** Latencies of larger batches, for rows run with their own policies ({@link #runRows}). */
    private final BatchLatencies batchLatencies;
    /** Nanosecond clock; tests put in one they drive, so the deadline rule's decisions are certain. */
    private LongSupplier clock = System::nanoTime;

    /**
     * An estimate that has let no step run for this long is measured afresh. A slow spell as long as the
     * window holds the estimate up with no faster measurement beside it (so it does not look inflated), and
     * while it refuses every run nothing can bring it down: a server would refuse every request for good.
     */
    static final long STALE_NANOS = 500_000_000L;
    /** When the last step run here ended, on {@link #clock}; and the last step of a single image. */
    private long lastStepEndNanos;
    private long lastSingleStepEndNanos;

    /** Whether the first, unmeasured warm-up has run: of a single image, and of the batch sizes. */
    private boolean warmedBefore;
    private boolean batchesWarmedBefore;

    /** Runs of the whole network that warm the latency estimate up before a deadline is judged by it. */
    static final int WARM_UP_RUNS = 20;
    /** Batches up to this size have step latencies of their own; larger ones share the largest class. */
    static final int LARGEST_TIMED_BATCH = 256;

    /** A predictor that runs {@code net} with DJL on {@code manager}'s device. */
    public AnytimePredictor(AnytimeNetwork net, Normalization normalization, NDManager manager) {
        this(net, normalization, new DjlSteps(net, normalization, manager), null);
    }

    AnytimePredictor(AnytimeNetwork net, Normalization normalization, InferenceSteps steps, AnytimeModel owned) {
        this.net = net;
        this.normalization = normalization;
        this.steps = steps;
        this.owned = owned;
        this.exits = net.exitCosts();
        this.stepMacs = steps.macs();
        this.latencies = new StepLatencies(steps.count());
        this.batchLatencies = new BatchLatencies(steps.count(), LARGEST_TIMED_BATCH);
    }

    /**
     * Opens a model ({@link AnytimeModel#open}) for this predictor alone, run by DJL; closing the predictor
     * closes the model.
     */
    public static AnytimePredictor open(Path path, Device device) throws IOException {
        return open(path, device, InferenceEngine.DJL);
    }

    /** Opens a model for this predictor alone, run by {@code engine}; closing the predictor closes the model. */
    public static AnytimePredictor open(Path path, Device device, InferenceEngine engine) throws IOException {
        AnytimeModel model = AnytimeModel.open(path, device);
        try {
            return model.predictor(engine, true);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
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

    /** Replaces the clock steps are timed and deadlines judged by. */
    void useClock(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    /** Runs the whole network {@code runs} times on a blank image to measure each step's latency. */
    public void warmUp(int runs) {
        byte[] blank = new byte[inputSize()];
        for (int i = 0; i < runs; i++) {
            predict(blank, new StoppingRule.RunAll());
        }
    }

    /**
     * Warms the step latencies of batches of 2, 4, ... up to {@code largestBatch} (each size class
     * of {@link #runRows} its own), after the batch-1 warm-up if that is still cold.
     */
    public void warmUpBatches(int largestBatch) {
        warmUpIfCold();
        int classes = Math.min(BatchLatencies.sizeClass(largestBatch), batchLatencies.largestClass());
        if (!batchesWarmedBefore) {
            warmUpBatchClasses(classes);
            batchLatencies.reset(); // the first pass's times, as in warmUpIfCold
            batchesWarmedBefore = true;
        }
        warmUpBatchClasses(classes);
    }

    private void warmUpBatchClasses(int classes) {
        for (int c = 1; c <= classes; c++) {
            int batch = BatchLatencies.largestOf(c);
            List<byte[]> blanks = java.util.Collections.nCopies(batch, new byte[inputSize()]);
            for (int i = 0; i < WARM_UP_RUNS && !batchLatencies.warm(batch); i++) {
                run(blanks, new StoppingRule.RunAll().start(net.headCount(), clock.getAsLong()), 0, clock.getAsLong());
            }
        }
    }

    /**
     * Runs a batch in which row {@code i} stops by {@code policies.get(i)}: each row leaves at its
     * own exit, is told to {@code listener} at once, and the rest go on (see {@link RowwiseRun}).
     * Step times are judged at the running batch's size, from that size's own measurements.
     *
     * @return one answer per row, exits numbered from 1 (0: the row's policy stopped it before any)
     */
    public List<Prediction> runRows(List<byte[]> images, List<? extends StoppingPolicy> policies,
            RowListener listener) {
        List<Prediction> answers = new RowwiseRun(this).run(images, policies, listener);
        // as in predictBatch: a burst of slow steps must not hold the estimate above every deadline
        if (answers.stream().noneMatch(Prediction::answered)) {
            forgetHeldUpEstimates(images.size());
        }
        return answers;
    }

    /** Whether batches of this size have step latencies of their own to be judged by. */
    boolean batchWarm(int batch) {
        return batchLatencies.warm(batch);
    }

    /** The expected wall time from the start of a run of {@code batch} images to its first exit, in milliseconds. */
    public double expectedMsToFirstExit(int batch) {
        return estimateToNextExit(0, batch) / 1e6;
    }

    /** The median recent latency of each step (a unit for DJL, a segment for ONNX Runtime) at batch 1, in ms. */
    public double[] stepLatencyMs() {
        double[] ms = new double[steps.count()];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = latencies.median(i) / 1e6;
        }
        return ms;
    }

    public Prediction predict(byte[] pixels, StoppingRule rule) {
        return predictBatch(List.of(pixels), rule).get(0);
    }

    /**
     * Predicts every image; each gets its own exit under a confidence rule.
     *
     * <p>A rule that judges steps by their latency gets a warmed-up estimate first. When such a rule
     * refuses even the first exit's steps and their estimate is held up by a burst of slow steps (which
     * it cannot outlive, since a step not run is not measured), the estimate is dropped and the next
     * call measures afresh. A deadline that is simply too short for the first exit keeps its estimate.
     */
    public List<Prediction> predictBatch(List<byte[]> images, StoppingRule rule) {
        if (images.isEmpty()) {
            return List.of();
        }
        if (rule.usesLatency()) {
            warmUpIfCold();
        }
        long start = clock.getAsLong();
        Run run = run(images, rule.start(net.headCount(), start), 0, start);
        if (rule.usesLatency() && run.cut() && run.predictions().stream().noneMatch(Prediction::answered)) {
            forgetHeldUpEstimates(images.size());
        }
        return run.predictions();
    }

    /**
     * After a run of {@code batch} images that reached no exit: drops the single image's estimates when
     * outliers hold the first exit's up, or when a run of one was refused and no step of one has run for
     * {@link #STALE_NANOS}; and the batch sizes' too, which judge a server's batches, when no step at all has
     * run for that long. Batches of other sizes running meanwhile do not keep a held-up estimate of one
     * standing: at 8 times its capacity, a server whose batches of several still ran refused requests that
     * came alone by a single image's first exit estimated at 13 ms, where 0.5 was usual (bench/RESULTS.md #15,
     * session 12).
     */
    private void forgetHeldUpEstimates(int batch) {
        long now = clock.getAsLong();
        if (firstExitEstimateInflated() || batch == 1 && now - lastSingleStepEndNanos > STALE_NANOS) {
            latencies.reset();
        }
        if (now - lastStepEndNanos > STALE_NANOS) {
            latencies.reset();
            batchLatencies.reset();
        }
    }

    private boolean firstExitEstimateInflated() {
        for (int step = 0; step < steps.count(); step++) {
            if (latencies.inflated(step)) {
                return true;
            }
            if (steps.exitAfter(step) >= 0) {
                return false;
            }
        }
        return false;
    }

    /** Warms the latency estimate up when it has too few warm measurements to go by. */
    public void warmUpIfCold() {
        if (!latencies.warm()) {
            if (!warmedBefore) {
                // a predictor's first runs are slow (compilation, first allocations): kept, they held one image's
                // estimate at 1.7 ms where 64 runs later it was 0.6 ms (bench/RESULTS.md #15, session 12)
                warmUp(WARM_UP_RUNS);
                latencies.reset();
                warmedBefore = true;
            }
            warmUp(WARM_UP_RUNS);
        }
    }

    /**
     * What one run gave.
     *
     * @param predictions one per image, exits numbered within this network (1-based)
     * @param cut whether the policy stopped the run before its last exit (a budget or deadline ran out)
     */
    public record Run(List<Prediction> predictions, boolean cut) {}

    /**
     * Runs the network under {@code policy}, which may be shared with other networks run before or
     * after this one (an EANN's members): it sees this network's exits as {@code exitOffset} onward.
     * The last exit answers every sample still running without asking the policy.
     *
     * <p>Reads the clock once before and once after each step, and once at the end.
     */
    public Run run(List<byte[]> images, StoppingPolicy policy, int exitOffset, long start) {
        int n = images.size();
        Prediction[] answers = new Prediction[n];
        boolean cut = false;
        try (InferenceSteps.Run stepper = steps.start(images)) {
            int[] active = new int[n];
            Arrays.setAll(active, i -> i);
            float[][] latest = new float[n][];
            int latestExit = 0;
            long spent = 0;
            for (int step = 0; step < steps.count() && active.length > 0; step++) {
                long before = clock.getAsLong();
                if (!policy.mayRun(macsToNextExit(step), estimateToNextExit(step), before)) {
                    cut = true;
                    break;
                }
                Optional<float[]> probabilities = stepper.next();
                spent += stepMacs[step];
                policy.spent(stepMacs[step]);
                int exit = steps.exitAfter(step);
                if (probabilities.isPresent()) {
                    float[] p = probabilities.get();
                    int classes = p.length / active.length;
                    for (int r = 0; r < active.length; r++) {
                        latest[active[r]] = Arrays.copyOfRange(p, r * classes, (r + 1) * classes);
                    }
                    latestExit = exit + 1;
                }
                long after = clock.getAsLong();
                recordLatency(step, before, after, n);
                if (probabilities.isPresent() && exit < net.headCount() - 1) {
                    long[] going = answerDone(policy, exitOffset, exit, active, latest, answers, spent,
                            (after - start) / 1e6);
                    if (going.length < active.length) {
                        int[] running = active;
                        active = Arrays.stream(going).mapToInt(r -> running[(int) r]).toArray();
                        if (active.length > 0) {
                            stepper.keepRows(going);
                        }
                    }
                }
            }
            double elapsed = (clock.getAsLong() - start) / 1e6;
            for (int i : active) {
                answers[i] = latest[i] == null ? new Prediction(-1, new float[0], 0, spent, elapsed)
                        : new Prediction(argMax(latest[i]), latest[i], latestExit, spent, elapsed);
            }
        }
        return new Run(List.of(answers), cut);
    }

    /**
     * Answers the active samples the policy lets leave at {@code exit}; returns the positions, among
     * the active ones (the rows of the running batch), of those that go on.
     */
    private static long[] answerDone(StoppingPolicy policy, int exitOffset, int exit, int[] active,
            float[][] latest, Prediction[] answers, long spent, double elapsedMs) {
        long[] going = new long[active.length];
        int left = 0;
        for (int r = 0; r < active.length; r++) {
            int i = active[r];
            if (policy.done(exitOffset + exit, latest[i])) {
                answers[i] = new Prediction(argMax(latest[i]), latest[i], exit + 1, spent, elapsedMs);
            } else {
                going[left++] = r;
            }
        }
        return Arrays.copyOf(going, left);
    }

    /** MACs per sample from before {@code step} up to and including the next exit. */
    long macsToNextExit(int step) {
        long total = 0;
        for (int s = step; s < steps.count(); s++) {
            total += stepMacs[s];
            if (steps.exitAfter(s) >= 0) {
                break;
            }
        }
        return total;
    }

    /** Expected nanoseconds from before {@code step} until the next exit's answer is in hand. */
    private double estimateToNextExit(int step) {
        return estimateToNextExit(step, 1);
    }

    /** The same for a running batch of {@code batch} images. */
    double estimateToNextExit(int step, int batch) {
        double total = 0;
        for (int s = step; s < steps.count(); s++) {
            total += batch <= 1 ? latencies.estimate(s) : batchLatencies.estimate(s, batch, latencies);
            if (steps.exitAfter(s) >= 0) {
                break;
            }
        }
        return total;
    }

    /** Keeps step latencies by batch size, the ones deadlines are judged by. */
    void recordLatency(int step, long startNanos, long endNanos, int batch) {
        lastStepEndNanos = endNanos;
        long nanos = endNanos - startNanos;
        if (batch == 1) {
            lastSingleStepEndNanos = endNanos;
            latencies.record(step, nanos);
        } else {
            batchLatencies.record(step, batch, nanos);
        }
    }

    long now() {
        return clock.getAsLong();
    }

    long stepMacs(int step) {
        return stepMacs[step];
    }

    /** How this predictor's engine runs the network, step by step. */
    InferenceSteps steps() {
        return steps;
    }

    private int inputSize() {
        InputShape s = inputShape();
        return s.channels() * s.height() * s.width();
    }

    static int argMax(float[] values) {
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
        if (owned != null) {
            owned.close();
        }
    }
}
