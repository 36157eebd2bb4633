package dev.anytimenn.infer;

import java.util.Arrays;

/**
 * Recent warm batch-1 latencies of each step of a stepwise run, and a cautious estimate of the next.
 *
 * <p>The first {@value #COLD} measurements of each step are left out: they pay for lazy allocation and
 * kernel selection, can be a hundred times a warm step, and kept in the estimate they would starve a
 * deadline rule (a step whose estimate misses every deadline is never run, so never measured again).
 * The estimate is the upper quartile of a sliding window of warm measurements: cautious, yet
 * outliers (a page fault, a garbage collection) move it only while they are more than a quarter of
 * the window. A longer burst can still hold a step's estimate above every deadline, and a step that
 * is not run is not measured: when the estimate is more than {@value #INFLATED} times the step's
 * fastest recent time, the predictor {@link #reset}s and measures again (see
 * {@link AnytimePredictor#predictBatch}).
 */
final class StepLatencies {

    static final int COLD = 2;
    static final int WINDOW = 32;
    static final double QUANTILE = 0.75;
    /** An estimate this many times the fastest recent measurement is taken to be held up by outliers. */
    static final int INFLATED = 2;
    /** Warm measurements each step needs before the estimate is taken as settled. */
    static final int SETTLED = 8;

    private final long[][] recent;
    private final int[] count;
    private final int[] seen;

    StepLatencies(int steps) {
        recent = new long[steps][WINDOW];
        count = new int[steps];
        seen = new int[steps];
    }

    void record(int step, long nanos) {
        if (seen[step]++ < COLD) {
            return;
        }
        recent[step][count[step] % WINDOW] = nanos;
        count[step]++;
    }

    /** Forgets every measurement, cold ones included: the next ones are taken afresh. */
    void reset() {
        for (long[] r : recent) {
            Arrays.fill(r, 0);
        }
        Arrays.fill(count, 0);
        Arrays.fill(seen, 0);
    }

    /** Warm measurements of one step kept so far (at most the window). */
    int count(int step) {
        return Math.min(count[step], WINDOW);
    }

    /** Whether every step has enough warm measurements to be judged by. */
    boolean warm() {
        return Arrays.stream(count).allMatch(c -> c >= SETTLED);
    }

    /** The QUANTILE of the step's recent warm latencies in nanoseconds; 0 before any. */
    long estimate(int step) {
        return quantile(step, QUANTILE);
    }

    /** Whether outliers hold the step's estimate up: above INFLATED times its fastest recent latency. */
    boolean inflated(int step) {
        return estimate(step) > INFLATED * quantile(step, 0);
    }

    /** Median of the step's recent warm latencies in nanoseconds; 0 before any. */
    long median(int step) {
        return quantile(step, 0.5);
    }

    private long quantile(int step, double q) {
        int n = Math.min(count[step], WINDOW);
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(recent[step], n);
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(q * n) - 1)];
    }
}
