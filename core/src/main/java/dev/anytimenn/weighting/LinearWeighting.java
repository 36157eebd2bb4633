package dev.anytimenn.weighting;

/** "linear": B_i = 0.25 + 0.75 (i-1)/(K-1), rising from 0.25 at the first head to 1 at the last; K = 1 gives [1]. */
public final class LinearWeighting extends FixedWeighting {

    public LinearWeighting(int heads) {
        super("linear", of(heads));
    }

    /** The LINEAR weights for K heads (a fresh array). */
    public static double[] of(int heads) {
        double[] b = new double[Checks.heads(heads)];
        if (heads == 1) {
            b[0] = 1.0;
            return b;
        }
        for (int i = 0; i < heads; i++) { // array index i is head i+1, so (head-1) = i
            b[i] = 0.25 + 0.75 * i / (heads - 1);
        }
        return b;
    }
}
