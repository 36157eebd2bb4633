package dev.anytimenn.weighting;

/**
 * "eann-&lt;scheme&gt;": the scheme's weights with those of the first floor(K/2) heads set to 0, as the
 * paper's code trains EANN members ("eann-sieve"): a member's early half is covered by the previous
 * member's final answer, which costs about as much when the costs double. The scheme still sees
 * every head's loss, so AdaLoss normalises over all heads as without the mask.
 */
public final class SecondHalfWeighting implements LossWeighting {
    public static final String PREFIX = "eann-";

    private final LossWeighting inner;

    public SecondHalfWeighting(LossWeighting inner) {
        this.inner = inner;
    }

    /** The number of leading heads whose weight is 0: floor(K/2). */
    public static int zeroedHeads(int heads) {
        return heads / 2;
    }

    @Override
    public String name() {
        return PREFIX + inner.name();
    }

    @Override
    public int heads() {
        return inner.heads();
    }

    @Override
    public double[] weights(long step) {
        double[] b = inner.weights(step);
        for (int i = 0; i < zeroedHeads(b.length); i++) {
            b[i] = 0;
        }
        return b;
    }

    @Override
    public double[] staticWeights() {
        double[] b = inner.staticWeights();
        for (int i = 0; i < zeroedHeads(b.length); i++) {
            b[i] = 0;
        }
        return b;
    }

    @Override
    public void observe(long step, double[] headLosses) {
        inner.observe(step, headLosses);
    }

    @Override
    public WeightingState state() {
        return inner.state();
    }

    @Override
    public void restore(WeightingState state) {
        inner.restore(state);
    }
}
