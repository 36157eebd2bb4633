package dev.anytimenn.data;

/**
 * SplitMix64 generator. Implemented here rather than using {@link java.util.SplittableRandom} because the
 * JDK does not promise its sequence across versions, and shuffles must replay exactly when a run is resumed.
 */
final class SplitMix64 {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    /** Combines several values into one well-mixed seed; different sequences give unrelated streams. */
    static long derive(long... parts) {
        long h = GOLDEN;
        for (long p : parts) {
            h = mix(h ^ mix(p + GOLDEN));
            h += GOLDEN;
        }
        return h;
    }

    long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** Uniform in [0, bound), without modulo bias. */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        // Lemire's multiply-shift with rejection of the biased low range.
        long threshold = (1L << 32) % bound;
        while (true) {
            long r = nextLong() >>> 32;
            long m = r * bound;
            if ((m & 0xFFFFFFFFL) >= threshold) {
                return (int) (m >>> 32);
            }
        }
    }

    /** Seeded Fisher-Yates permutation of 0..n-1. */
    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplitMix64 rng = new SplitMix64(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
