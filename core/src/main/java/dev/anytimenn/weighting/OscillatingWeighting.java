package dev.anytimenn.weighting;

import java.util.SplittableRandom;

/**
 * "oscillating": base weights B = SIEVE; each step one head j is sampled with probability
 * B_j / sum B and gets an extra (sum B)/2 for that step (with SIEVE the final head is picked half
 * the time). The sample is a pure function of (seed, step), so a resumed run reproduces it exactly
 * without any checkpointed state.
 */
public final class OscillatingWeighting implements LossWeighting {
    private final int heads;
    private final long seed;
    private final double[] base;
    private final double total;

    public OscillatingWeighting(int heads, long seed) {
        this.heads = Checks.heads(heads);
        this.seed = seed;
        this.base = SieveWeighting.of(heads);
        double s = 0;
        for (double w : base) {
            s += w;
        }
        this.total = s;
    }

    /** The head (0-based array index) that gets the bonus at {@code step}. */
    public int chosenHead(long step) {
        Checks.step(step);
        // A fresh generator per step, seeded from a strong mix of (seed, step): no state to carry.
        SplittableRandom rnd = new SplittableRandom(mix64(seed ^ mix64(step + 0x9E3779B97F4A7C15L)));
        double u = rnd.nextDouble() * total;
        double cumulative = 0;
        for (int j = 0; j < heads - 1; j++) {
            cumulative += base[j];
            if (u < cumulative) {
                return j;
            }
        }
        return heads - 1; // also absorbs rounding in the cumulative sum
    }

    /** The SIEVE base weights (a fresh copy). */
    public double[] baseWeights() {
        return base.clone();
    }

    @Override
    public double[] staticWeights() {
        return baseWeights();
    }

    @Override
    public String name() {
        return "oscillating";
    }

    @Override
    public int heads() {
        return heads;
    }

    @Override
    public double[] weights(long step) {
        double[] b = base.clone();
        b[chosenHead(step)] += total / 2;
        return b;
    }

    /** Stafford variant 13 finaliser (as in SplittableRandom / SplitMix64). */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
