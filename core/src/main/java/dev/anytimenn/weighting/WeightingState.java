package dev.anytimenn.weighting;

import java.util.Arrays;

/**
 * Checkpointable state of a {@link LossWeighting}: the running loss averages (lbar) and the current
 * weights B. Either may be {@code null} (stateless schemes use {@link #EMPTY}). Arrays are copied on
 * the way in and out, so an instance is effectively immutable. Serialisable with Jackson as
 * {@code {"lossAverages": [...], "weights": [...]}}.
 */
public record WeightingState(double[] lossAverages, double[] weights) {

    /** The state of a stateless scheme. */
    public static final WeightingState EMPTY = new WeightingState(null, null);

    public WeightingState {
        lossAverages = lossAverages == null ? null : lossAverages.clone();
        weights = weights == null ? null : weights.clone();
    }

    @Override
    public double[] lossAverages() {
        return lossAverages == null ? null : lossAverages.clone();
    }

    @Override
    public double[] weights() {
        return weights == null ? null : weights.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightingState s
                && Arrays.equals(lossAverages, s.lossAverages)
                && Arrays.equals(weights, s.weights);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(lossAverages) + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "WeightingState[lossAverages=" + Arrays.toString(lossAverages)
                + ", weights=" + Arrays.toString(weights) + "]";
    }
}
