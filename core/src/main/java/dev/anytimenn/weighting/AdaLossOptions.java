package dev.anytimenn.weighting;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * AdaLoss hyper-parameters: the parameters of the "adaloss" scheme, e.g.
 * {@code adaloss:gamma=0.05,updateEvery=1}.
 *
 * @param mu EMA decay of the per-head loss averages, 0 <= mu < 1
 * @param gamma weight floor mixed in, B = (1-gamma) v + gamma, 0 < gamma <= 1
 * @param updateEvery recompute the weights every this many steps (U), >= 1
 * @param finalBonus e added to the final head's normalised inverse loss, >= 0
 */
public record AdaLossOptions(
        @JsonPropertyDescription("moving-average factor of each head's loss, in [0, 1)") double mu,
        @JsonPropertyDescription("weight floor: B = (1 - gamma) v + gamma, in (0, 1]") double gamma,
        @JsonPropertyDescription("recompute the weights every this many steps (U)") int updateEvery,
        @JsonPropertyDescription("e added to the final head's inverse loss before normalising") double finalBonus) {

    /** The reference code defaults: mu 0.9, gamma 0.07, U 100, e 0. */
    public static final AdaLossOptions DEFAULTS = new AdaLossOptions(0.9, 0.07, 100, 0.0);

    public AdaLossOptions {
        // Written as !(ok) so NaN is rejected too.
        if (!(mu >= 0 && mu < 1)) {
            throw new IllegalArgumentException("mu must be in [0, 1), got " + mu);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in (0, 1], got " + gamma);
        }
        if (updateEvery < 1) {
            throw new IllegalArgumentException("updateEvery must be >= 1, got " + updateEvery);
        }
        if (!(finalBonus >= 0 && Double.isFinite(finalBonus))) {
            throw new IllegalArgumentException("finalBonus must be finite and >= 0, got " + finalBonus);
        }
    }
}
