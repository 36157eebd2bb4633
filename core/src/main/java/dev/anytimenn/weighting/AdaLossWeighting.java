package dev.anytimenn.weighting;

import dev.anytimenn.io.OptionRecords;
import java.util.Arrays;
import java.util.Objects;

/**
 * "adaloss" (Hu et al. 2019): keeps an EMA of each head's loss, lbar_i <- mu lbar_i + (1-mu) l_i
 * (the first observed step sets lbar = l), and after observing step t with (t+1) % U == 0 sets
 * v_i = 1/lbar_i, v /= max v, v_K += e, v /= max v, B_i = (1-gamma) v_i + gamma. Those B are used
 * from step t+1 on; before the first update B is all 1. This is the gradient of sum_i log E[l_i]
 * (the geometric mean of the expected losses), so it ignores each loss's scale; gamma keeps every
 * head trained.
 */
public final class AdaLossWeighting implements LossWeighting {

    /**
     * Lower clamp for lbar when inverting it. Cross-entropy is >= 0 and can underflow to exactly 0 (a
     * head that fits its batch perfectly); 1/0 would give an infinite v and NaN after v /= max v. With
     * the clamp such a head simply gets the maximum v (normalised to 1), which is the limit anyway.
     */
    static final double MIN_LOSS_AVERAGE = 1e-12;

    private final int heads;
    private final AdaLossOptions options;
    private double[] lossAverages; // null until the first observation
    private double[] weights;

    public AdaLossWeighting(int heads, AdaLossOptions options) {
        this.heads = Checks.heads(heads);
        this.options = Objects.requireNonNull(options, "options");
        this.weights = ones(heads);
    }

    public AdaLossWeighting(int heads) {
        this(heads, AdaLossOptions.DEFAULTS);
    }

    public AdaLossOptions options() {
        return options;
    }

    /** The current loss averages lbar (a copy), or null before the first observation. */
    public double[] lossAverages() {
        return lossAverages == null ? null : lossAverages.clone();
    }

    /** "adaloss", with the parameters that differ from the defaults, e.g. "adaloss:updateEvery=8". */
    @Override
    public String name() {
        String changed = OptionRecords.changedText(options, AdaLossOptions.DEFAULTS);
        return changed.isEmpty() ? "adaloss" : "adaloss:" + changed;
    }

    @Override
    public int heads() {
        return heads;
    }

    /** All 1: the adaptive weights start from CONST, and the paper's code decays every head alike. */
    @Override
    public double[] staticWeights() {
        return ones(heads);
    }

    @Override
    public double[] weights(long step) {
        return weights.clone();
    }

    @Override
    public void observe(long step, double[] headLosses) {
        Checks.step(step);
        Objects.requireNonNull(headLosses, "headLosses");
        if (headLosses.length != heads) {
            throw new IllegalArgumentException(
                    "expected " + heads + " head losses, got " + headLosses.length);
        }
        for (int i = 0; i < heads; i++) {
            if (!Double.isFinite(headLosses[i])) {
                throw new IllegalArgumentException(
                        "head " + (i + 1) + " loss at step " + step + " is not finite: " + headLosses[i]);
            }
        }
        if (lossAverages == null) {
            lossAverages = headLosses.clone();
        } else {
            double mu = options.mu();
            for (int i = 0; i < heads; i++) {
                lossAverages[i] = mu * lossAverages[i] + (1 - mu) * headLosses[i];
            }
        }
        if ((step + 1) % options.updateEvery() == 0) {
            weights = weightsFor(lossAverages, options);
        }
    }

    /** The AdaLoss weights for the given loss averages (the update rule, exposed for tests/tools). */
    static double[] weightsFor(double[] lossAverages, AdaLossOptions options) {
        int k = lossAverages.length;
        double[] v = new double[k];
        for (int i = 0; i < k; i++) {
            v[i] = 1.0 / Math.max(lossAverages[i], MIN_LOSS_AVERAGE);
        }
        divideByMax(v);
        v[k - 1] += options.finalBonus();
        divideByMax(v);
        double gamma = options.gamma();
        for (int i = 0; i < k; i++) {
            v[i] = (1 - gamma) * v[i] + gamma;
        }
        return v;
    }

    private static void divideByMax(double[] v) {
        double max = Arrays.stream(v).max().orElseThrow();
        for (int i = 0; i < v.length; i++) {
            v[i] /= max;
        }
    }

    @Override
    public WeightingState state() {
        return new WeightingState(lossAverages, weights);
    }

    /**
     * Restores lbar and B. {@link WeightingState#EMPTY} (or null parts) resets to the initial state:
     * no averages yet and/or all-ones weights.
     */
    @Override
    public void restore(WeightingState state) {
        Objects.requireNonNull(state, "state");
        double[] averages = state.lossAverages();
        double[] b = state.weights();
        if (averages != null) {
            checkRestored("lossAverages", averages);
        }
        if (b != null) {
            checkRestored("weights", b);
        }
        this.lossAverages = averages;
        this.weights = b == null ? ones(heads) : b;
    }

    private void checkRestored(String what, double[] values) {
        if (values.length != heads) {
            throw new IllegalArgumentException(
                    "restored " + what + " has " + values.length + " entries but the network has "
                            + heads + " heads");
        }
        for (double x : values) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("restored " + what + " is not finite: "
                        + Arrays.toString(values));
            }
        }
    }

    private static double[] ones(int k) {
        double[] b = new double[k];
        Arrays.fill(b, 1.0);
        return b;
    }
}
