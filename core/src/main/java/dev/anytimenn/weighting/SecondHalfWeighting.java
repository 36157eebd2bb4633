package dev.anytimenn.weighting;

/**
 * "eann-&lt;scheme&gt;": the scheme's weights with those of the first floor(K/2) heads set to 0, as the
 * paper's code trains EANN members ("eann-sieve"): a member's early half is covered by the previous
 * member's final answer, which costs about as much when the costs double. The scheme still sees
 * every head's loss, so AdaLoss normalises over all heads as without the mask.
 *
 * <p>An oscillating scheme is not wrapped but rebuilt over the masked base ({@link #of}): the authors'
 * code samples the bonus head among the heads of positive weight only, with half their total as the
 * bonus; zeroing the bonus after sampling over every head would train the second half less.
 */
public final class SecondHalfWeighting implements LossWeighting {
    public static final String PREFIX = "eann-";

    private final LossWeighting inner;

    private SecondHalfWeighting(LossWeighting inner) {
        this.inner = inner;
    }

    /** {@code inner} with its first floor(K/2) heads weighing 0, named "eann-" and its name. */
    public static LossWeighting of(LossWeighting inner) {
        if (inner instanceof OscillatingWeighting oscillating) {
            return oscillating.masked(PREFIX + inner.name(), zeroedHeads(inner.heads()));
        }
        return new SecondHalfWeighting(inner);
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
