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
     * Nanoseconds one step is expected to take at {@code batch} (>= 2): its size class's own estimate, but no
     * more than a smaller size's estimate scaled up in proportion to the size, since a batch costs at most
     * that on a CPU. A large class runs seldom (a server refuses requests rather than let such batches form),
     * so its window can hold a slow spell long after the small classes, run all the time, have forgotten it;
     * an estimate held high that way would keep refusing the very batches that would measure it again.
     */
    double estimate(int step, int batch, StepLatencies single) {
        double bound = (double) single.estimate(step) * batch;
        int sizeClass = Math.min(sizeClass(batch), classes.length - 1);
        for (int c = 1; c < sizeClass; c++) {
            if (classes[c].count(step) >= StepLatencies.SETTLED) {
                bound = Math.min(bound, (double) classes[c].estimate(step) * batch / smallestOf(c));
            }
        }
        StepLatencies measured = of(batch);
        return measured.count(step) >= StepLatencies.SETTLED ? Math.min(measured.estimate(step), bound) : bound;
    }

    /** The smallest batch size of class {@code sizeClass} (>= 1): 2, 3, 5, 9, ... */
    static int smallestOf(int sizeClass) {
        return largestOf(sizeClass - 1) + 1;
    }

    boolean warm(int batch) {
        return of(batch).warm();
    }
}
