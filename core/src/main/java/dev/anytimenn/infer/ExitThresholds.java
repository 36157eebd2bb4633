package dev.anytimenn.infer;

import java.util.Arrays;
import java.util.Objects;

/**
 * Early-exit rule of budgeted batch classification: a sample leaves at the first exit whose
 * confidence score is {@code >=} that exit's threshold.
 *
 * <p>One threshold per exit. {@code +Infinity} means nobody leaves there; the last is always
 * {@code -Infinity} because the final exit takes everyone left. Infinities go through Jackson
 * unchanged: by default ({@code JsonWriteFeature.WRITE_NAN_AS_STRINGS}, on unless a mapper turns it
 * off) they are written as the strings {@code "Infinity"} / {@code "-Infinity"}, which is strict
 * JSON, and a plain {@code ObjectMapper} reads those strings back into doubles.
 *
 * @param score the confidence score the thresholds apply to
 * @param thresholds one per exit, never NaN, last {@code -Infinity}
 */
public record ExitThresholds(ConfidenceScore score, double[] thresholds) {

    public ExitThresholds {
        Objects.requireNonNull(score, "score");
        if (thresholds == null || thresholds.length == 0) {
            throw new IllegalArgumentException("need at least one threshold (one per exit)");
        }
        thresholds = thresholds.clone(); // records are values: callers must not alter them later
        for (double t : thresholds) {
            if (Double.isNaN(t)) {
                throw new IllegalArgumentException("thresholds must not be NaN: " + Arrays.toString(thresholds));
            }
        }
        if (thresholds[thresholds.length - 1] != Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("the last threshold must be -Infinity (the final exit"
                    + " takes every sample left), got " + thresholds[thresholds.length - 1]);
        }
    }

    @Override
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** Number of exits. */
    public int exits() {
        return thresholds.length;
    }

    /**
     * Whether a sample with this score at the 0-based {@code exit} leaves there (given it reached
     * it). For runs that compute exits one at a time and stop early.
     */
    public boolean leavesAt(int exit, double score) {
        Objects.checkIndex(exit, thresholds.length);
        // The last exit is unconditional, also for a NaN score (NaN >= -Infinity is false).
        return exit == thresholds.length - 1 || score >= thresholds[exit];
    }

    /** The 0-based exit one sample uses, given its score at every exit. */
    public int exitFor(double[] scoresOfOneSample) {
        if (scoresOfOneSample.length != thresholds.length) {
            throw new IllegalArgumentException("expected " + thresholds.length + " scores, got "
                    + scoresOfOneSample.length);
        }
        for (int k = 0; k < thresholds.length - 1; k++) {
            if (scoresOfOneSample[k] >= thresholds[k]) {
                return k;
            }
        }
        return thresholds.length - 1;
    }

    /** Same as {@link #exitFor(double[])} for sample {@code i} of a {@code scores[exit][sample]} table. */
    public int exitFor(double[][] scores, int i) {
        for (int k = 0; k < thresholds.length - 1; k++) {
            if (scores[k][i] >= thresholds[k]) {
                return k;
            }
        }
        return thresholds.length - 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExitThresholds other && score == other.score
                && Arrays.equals(thresholds, other.thresholds);
    }

    @Override
    public int hashCode() {
        return 31 * score.hashCode() + Arrays.hashCode(thresholds);
    }

    @Override
    public String toString() {
        return "ExitThresholds[score=" + score.cliName() + ", thresholds=" + Arrays.toString(thresholds) + "]";
    }
}
