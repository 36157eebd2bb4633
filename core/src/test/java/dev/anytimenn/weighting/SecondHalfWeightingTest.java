package dev.anytimenn.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SecondHalfWeightingTest {

    private static LossWeighting make(String spec, int heads) {
        return LossWeightings.create(spec, heads, 1L);
    }

    @Test
    void eannSieveIsSieveWithTheFirstFloorHalfZeroed() {
        // K = 8: SIEVE [1,2,1,3,1,2,1,11]/11, the first 4 zeroed
        LossWeighting w = make("eann-sieve", 8);
        assertThat(w.name()).isEqualTo("eann-sieve");
        double[] b = w.weights(0);
        double[] expected = {0, 0, 0, 0, 1 / 11.0, 2 / 11.0, 1 / 11.0, 1};
        for (int i = 0; i < 8; i++) {
            assertThat(b[i]).as("head %d", i + 1).isCloseTo(expected[i], within(1e-12));
        }
        // odd K = 3: floor(3/2) = 1 head zeroed
        assertThat(make("EANN-Sieve", 3).weights(0)[0]).isZero();
        assertThat(make("eann-sieve", 3).weights(0)[1]).isPositive();
        assertThat(make("eann-const", 1).weights(0)).containsExactly(1.0);
    }

    @Test
    void eannOscillatingIsAnOscillationOverTheMaskedBaseNotAMaskedOscillation() {
        LossWeighting w = make("eann-oscillating", 8);
        assertThat(w).isInstanceOf(OscillatingWeighting.class);
        assertThat(((OscillatingWeighting) w).baseWeights()).containsExactly(make("eann-sieve", 8).weights(0));
        assertThat(make("eann-sieve", 8)).isInstanceOf(SecondHalfWeighting.class);
    }

    @Test
    void eannAdaLossAdaptsOnTheSecondHalfAndKeepsItsState() {
        LossWeighting w = make("eann-adaloss:updateEvery=1", 4);
        assertThat(w.name()).isEqualTo("eann-adaloss:updateEvery=1");
        w.observe(0, new double[] {4, 3, 2, 1});
        double[] b = w.weights(1);
        assertThat(b[0]).isZero();
        assertThat(b[1]).isZero();
        assertThat(b[3]).isCloseTo(1.0, within(1e-12));
        // B_3 = (1 - gamma) v_3 + gamma with v = 1/loss normalised by the max: v_3 = 1/2
        assertThat(b[2]).isCloseTo(0.93 * 0.5 + 0.07, within(1e-12));
        LossWeighting resumed = make("eann-adaloss:updateEvery=1", 4);
        resumed.restore(w.state());
        assertThat(resumed.weights(1)).containsExactly(b);
    }

    @Test
    void refusesOptAndNesting() {
        assertThatThrownBy(() -> make("eann-opt", 4)).hasMessageContaining("eann-opt");
        assertThatThrownBy(() -> make("eann-eann-sieve", 4)).hasMessageContaining("eann-eann-sieve");
        assertThatThrownBy(() -> make("eann-nope", 4)).hasMessageContaining("unknown weighting 'nope'");
    }
}
