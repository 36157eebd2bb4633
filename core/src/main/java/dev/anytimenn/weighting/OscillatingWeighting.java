package dev.anytimenn.weighting;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * "oscillating": base weights B (SIEVE); each step one head j is sampled with probability
 * B_j / sum B and gets an extra (sum B)/2 for that step (with SIEVE the final head is picked half
 * the time). The sample is a pure function of (seed, step), so a resumed run reproduces it exactly
 * without any checkpointed state.
 *
 * <p>The base may be any non-negative weights ({@link #masked}): "eann-oscillating" oscillates over
 * SIEVE with the first floor(K/2) heads zeroed, as the authors' code does, so a head of weight 0 is
 * never sampled and the bonus is half the total of the heads that are trained.
 */
public final class OscillatingWeighting implements LossWeighting {
    private final String name;
    private final long seed;
    private final double[] base;
    private final double total;
    private final int lastTrained;

    /** "oscillating" over SIEVE for K = {@code heads} heads. */
    public OscillatingWeighting(int heads, long seed) {
        this("oscillating", SieveWeighting.of(heads), seed);
    }

    private OscillatingWeighting(String name, double[] base, long seed) {
        this.name = name;
        this.seed = seed;
        this.base = base.clone();
        double s = 0;
        int last = -1;
        for (int j = 0; j < base.length; j++) {
            if (!(base[j] >= 0) || !Double.isFinite(base[j])) {
                throw new IllegalArgumentException("oscillating base weights must be finite and >= 0, got "
                        + Arrays.toString(base));
            }
            s += base[j];
            last = base[j] > 0 ? j : last;
        }
        if (last < 0) {
            throw new IllegalArgumentException("oscillating base weights must not all be 0");
        }
        this.total = s;
        this.lastTrained = last;
    }

    /**
     * The same oscillation, named {@code newName}, over this base with the first {@code zeroed} heads
     * set to 0: those are never sampled and the bonus is half of what the other heads weigh.
     */
    OscillatingWeighting masked(String newName, int zeroed) {
        if (zeroed < 0 || zeroed >= base.length) {
            throw new IllegalArgumentException("can zero 0 to " + (base.length - 1) + " of " + base.length
                    + " heads, not " + zeroed);
        }
        double[] b = base.clone();
        Arrays.fill(b, 0, zeroed, 0);
        return new OscillatingWeighting(newName, b, seed);
    }

    /** The head (0-based array index) that gets the bonus at {@code step}; never one of base weight 0. */
    public int chosenHead(long step) {
        Checks.step(step);
        // A fresh generator per step, seeded from a strong mix of (seed, step): no state to carry.
        SplittableRandom rnd = new SplittableRandom(mix64(seed ^ mix64(step + 0x9E3779B97F4A7C15L)));
        double u = rnd.nextDouble() * total;
        double cumulative = 0;
        for (int j = 0; j < base.length - 1; j++) {
            cumulative += base[j];
            if (u < cumulative) {
                return j;
            }
        }
        return lastTrained; // also absorbs rounding in the cumulative sum
    }

    /** The base weights (a fresh copy). */
    public double[] baseWeights() {
        return base.clone();
    }

    @Override
    public double[] staticWeights() {
        return baseWeights();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int heads() {
        return base.length;
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
