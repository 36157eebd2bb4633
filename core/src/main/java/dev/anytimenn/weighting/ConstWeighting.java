package dev.anytimenn.weighting;

import java.util.Arrays;

/** "const": B_i = 1 for every head. */
public final class ConstWeighting extends FixedWeighting {

    public ConstWeighting(int heads) {
        super("const", of(heads));
    }

    /** The CONST weights for K heads (a fresh array). */
    public static double[] of(int heads) {
        double[] b = new double[Checks.heads(heads)];
        Arrays.fill(b, 1.0);
        return b;
    }
}
