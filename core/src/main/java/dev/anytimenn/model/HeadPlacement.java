package dev.anytimenn.model;

/** Where heads go in a chain of units: after every s-th unit counted back from the last. */
public final class HeadPlacement {

    private HeadPlacement() {}

    /** Number of heads K = 1 + floor((L - 1) / s). */
    public static int headCount(int units, int stride) {
        check(units, stride);
        return 1 + (units - 1) / stride;
    }

    /**
     * The 1-based units followed by a head, in increasing order: L - (K-1)s, ..., L - s, L.
     */
    public static int[] unitsWithHeads(int units, int stride) {
        int k = headCount(units, stride);
        int[] after = new int[k];
        for (int i = 0; i < k; i++) {
            after[i] = units - (k - 1 - i) * stride;
        }
        return after;
    }

    private static void check(int units, int stride) {
        if (units < 1) {
            throw new IllegalArgumentException("a network needs at least one unit, got " + units);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("head stride s must be at least 1, got " + stride);
        }
    }
}
