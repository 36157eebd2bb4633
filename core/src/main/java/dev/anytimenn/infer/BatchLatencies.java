package dev.anytimenn.infer;

/**
 * Step latencies of batches larger than one, in power-of-two size classes (2, 3-4, 5-8, ...): a
 * batch's step costs more than a single image's, so a deadline judged by batch-1 times would be
 * missed. A class with too few measurements falls back to the batch-1 estimate times the batch size
 * (batches cost less than that per image on a CPU, so it errs toward stopping early).
 */
final class BatchLatencies {

    private final StepLatencies[] classes;

    BatchLatencies(int steps, int largestBatch) {
        classes = new StepLatencies[sizeClass(Math.max(2, largestBatch)) + 1];
        for (int c = 1; c < classes.length; c++) {
            classes[c] = new StepLatencies(steps);
        }
    }

    /** 0 for batch 1, 1 for 2, 2 for 3-4, 3 for 5-8, ... */
    static int sizeClass(int batch) {
        return 32 - Integer.numberOfLeadingZeros(Math.max(1, batch) - 1);
    }

    /** The batch size whose class is {@code sizeClass}: its largest, the one warm-up runs at. */
    static int largestOf(int sizeClass) {
        return 1 << sizeClass;
    }

    int largestClass() {
        return classes.length - 1;
    }

    private StepLatencies of(int batch) {
        return classes[Math.max(1, Math.min(sizeClass(batch), classes.length - 1))]; // batch 1 is the predictor's own
    }

    void record(int step, int batch, long nanos) {
        of(batch).record(step, nanos);
    }

    /**
     * Nanoseconds one step is expected to take at {@code batch} (>= 2). A class's own measurements stand even
     * when a smaller class's, scaled up to this size, say less: large batches form under the load that also
     * takes CPU from them (a server's HTTP threads), so that is what they cost. Bounding them by the small
     * classes made a server admit more than it could run (#15,
     * bench/results/experiments/serve-load-batch-bound-reverted.md).
     */
    double estimate(int step, int batch, StepLatencies single) {
        StepLatencies measured = of(batch);
        if (measured.count(step) >= StepLatencies.SETTLED) {
            return measured.estimate(step);
        }
        return (double) single.estimate(step) * batch;
    }

    /** Forgets every class's measurements. */
    void reset() {
        for (int c = 1; c < classes.length; c++) {
            classes[c].reset();
        }
    }

    boolean warm(int batch) {
        return of(batch).warm();
    }
}
