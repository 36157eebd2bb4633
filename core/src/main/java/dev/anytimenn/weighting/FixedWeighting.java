package dev.anytimenn.weighting;

/** A weighting that never changes during training: B depends on K alone. */
public abstract class FixedWeighting implements LossWeighting {
    private final String name;
    private final double[] weights;

    protected FixedWeighting(String name, double[] weights) {
        this.name = name;
        this.weights = weights.clone();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int heads() {
        return weights.length;
    }

    @Override
    public final double[] weights(long step) {
        return weights.clone();
    }
}
