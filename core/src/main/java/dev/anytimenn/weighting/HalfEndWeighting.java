package dev.anytimenn.weighting;

/** "half-end": B_i = 1/(K-1) for the early heads and B_K = 1, so the final head carries half the total; K = 1 gives [1]. */
public final class HalfEndWeighting extends FixedWeighting {

    public HalfEndWeighting(int heads) {
        super("half-end", of(heads));
    }

    /** The HALF-END weights for K heads (a fresh array). */
    public static double[] of(int heads) {
        double[] b = new double[Checks.heads(heads)];
        for (int i = 0; i < heads - 1; i++) {
            b[i] = 1.0 / (heads - 1);
        }
        b[heads - 1] = 1.0;
        return b;
    }
}
