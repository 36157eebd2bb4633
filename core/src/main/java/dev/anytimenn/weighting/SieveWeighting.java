package dev.anytimenn.weighting;

/**
 * "sieve": for head i at distance d = K-i >= 1 from the end, raw w_i = #{k >= 0 : 2^k divides d
 * and 2^k < K}; w_K = sum of the early raw weights; all divided by w_K (so B_K = 1 and the final
 * head carries half the total). K = 8 gives [1,2,1,3,1,2,1,11]/11; K = 1 gives [1].
 */
public final class SieveWeighting extends FixedWeighting {

    public SieveWeighting(int heads) {
        super("sieve", of(heads));
    }

    /** The SIEVE weights for K heads (a fresh array). */
    public static double[] of(int heads) {
        Checks.heads(heads);
        double[] b = new double[heads];
        if (heads == 1) {
            b[0] = 1.0;
            return b;
        }
        long earlySum = 0;
        long[] raw = new long[heads];
        for (int i = 0; i < heads - 1; i++) {
            long d = heads - (i + 1); // head i+1 (1-based) sits d >= 1 heads before the final one
            long count = 0;
            for (long p = 1; p < heads; p <<= 1) { // p = 2^k < K
                if (d % p == 0) {
                    count++;
                }
            }
            raw[i] = count;
            earlySum += count;
        }
        raw[heads - 1] = earlySum;
        for (int i = 0; i < heads; i++) {
            b[i] = (double) raw[i] / earlySum;
        }
        return b;
    }
}
