package dev.anytimenn.infer;

import java.util.Arrays;

/**
 * Recent batch-1 latencies of each step of a stepwise run, and a cautious estimate of the next.
 *
 * <p>The estimate is a high quantile of a sliding window rather than a mean plus deviations: one
 * outlier (a page fault, a garbage collection) must not inflate it for long, because a step whose
 * estimate misses every deadline is never run again and so never measured again.
 */
final class StepLatencies {

    static final int WINDOW = 64;
    static final double QUANTILE = 0.95;

    private final long[][] recent;
    private final int[] count;

    StepLatencies(int steps) {
        recent = new long[steps][WINDOW];
        count = new int[steps];
    }

    void record(int step, long nanos) {
        recent[step][count[step] % WINDOW] = nanos;
        count[step]++;
    }

    /** The QUANTILE of the step's recent latencies in nanoseconds; 0 before any measurement. */
    long estimate(int step) {
        return quantile(step, QUANTILE);
    }

    /** Median of the step's recent latencies in nanoseconds; 0 before any measurement. */
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
