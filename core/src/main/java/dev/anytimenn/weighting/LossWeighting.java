package dev.anytimenn.weighting;

/**
 * Per-head loss weights B_1..B_K of an anytime network with K heads (exits).
 *
 * <p>Each training step the trainer calls {@link #weights(long)} before the forward pass, computes
 * {@code loss = sum_i B_i * CE_i}, and then reports the per-head losses through
 * {@link #observe(long, double[])}. Heads are numbered 1..K in the docs and 0..K-1 in arrays.
 *
 * <p>Stateless schemes are pure functions of (K, step); stateful ones (AdaLoss) expose their state
 * through {@link #state()} / {@link #restore(WeightingState)} so a resumed run continues exactly.
 */
public interface LossWeighting {

    /** The (lower-cased) spec this weighting was made from, e.g. {@code "adaloss"}, {@code "opt:3"}. */
    String name();

    /** The number of heads K. */
    int heads();

    /**
     * The weights B for this 0-based step; called before the forward pass.
     *
     * @return a fresh array of length {@link #heads()} the caller may modify
     */
    double[] weights(long step);

    /**
     * The scheme's fixed weights, before anything that changes step by step: the base of an oscillating
     * scheme, all 1 for AdaLoss (whose adaptive weights start from CONST). The paper's code scales each
     * head's linear-layer weight decay by these; a head weighing 0 here is never trained.
     *
     * @return a fresh array of length {@link #heads()}; the default is {@code weights(0)}
     */
    default double[] staticWeights() {
        return weights(0);
    }

    /** Whether each head is ever trained: its static weight is above 0. */
    default boolean[] trainedHeads() {
        double[] b = staticWeights();
        boolean[] trained = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            trained[i] = b[i] > 0;
        }
        return trained;
    }

    /** Per-head losses measured at {@code step}, reported after the forward pass. */
    default void observe(long step, double[] headLosses) {}

    /** State to put in a checkpoint; {@link WeightingState#EMPTY} for stateless schemes. */
    default WeightingState state() {
        return WeightingState.EMPTY;
    }

    /** Restores a state previously returned by {@link #state()}. */
    default void restore(WeightingState state) {}
}
