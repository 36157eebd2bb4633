package dev.anytimenn.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StaticWeightingsTest {

    private static final double EPS = 1e-12;

    @Test
    void constIsAllOnes() {
        assertThat(new ConstWeighting(1).weights(0)).containsExactly(1.0);
        assertThat(new ConstWeighting(2).weights(7)).containsExactly(1.0, 1.0);
        assertThat(new ConstWeighting(5).weights(123)).containsExactly(1, 1, 1, 1, 1);
    }

    @Test
    void linear() {
        assertThat(new LinearWeighting(1).weights(0)).containsExactly(1.0);
        // K = 2: 0.25 + 0.75 * {0, 1}
        assertThat(new LinearWeighting(2).weights(0)).containsExactly(0.25, 1.0);
        // K = 5: 0.25 + 0.75 * {0, 1, 2, 3, 4} / 4
        assertThat(new LinearWeighting(5).weights(0))
                .containsExactly(new double[] {0.25, 0.4375, 0.625, 0.8125, 1.0}, within(EPS));
    }

    @Test
    void halfEnd() {
        assertThat(new HalfEndWeighting(1).weights(0)).containsExactly(1.0);
        // K = 2: 1/(K-1) = 1 for the single early head
        assertThat(new HalfEndWeighting(2).weights(0)).containsExactly(1.0, 1.0);
        // K = 5: four early heads at 1/4, final 1 -> final carries half the total (1 of 2)
        assertThat(new HalfEndWeighting(5).weights(0)).containsExactly(0.25, 0.25, 0.25, 0.25, 1.0);
    }

    @Test
    void sieveK8MatchesThePaper() {
        double[] expected = {1 / 11.0, 2 / 11.0, 1 / 11.0, 3 / 11.0, 1 / 11.0, 2 / 11.0, 1 / 11.0, 1.0};
        assertThat(SieveWeighting.of(8)).containsExactly(expected);
        assertThat(new SieveWeighting(8).weights(5)).containsExactly(expected);
    }

    @Test
    void sieveSmallK() {
        // K = 6: powers 2^k < 6 are 1, 2, 4. d = 5,4,3,2,1 -> raw 1,3,1,2,1; w_K = 8.
        assertThat(SieveWeighting.of(6))
                .containsExactly(1 / 8.0, 3 / 8.0, 1 / 8.0, 2 / 8.0, 1 / 8.0, 1.0);
        // K = 4: powers 1, 2. d = 3,2,1 -> raw 1,2,1; w_K = 4.
        assertThat(SieveWeighting.of(4)).containsExactly(0.25, 0.5, 0.25, 1.0);
        // K = 2: power 1 only. d = 1 -> raw 1; w_K = 1.
        assertThat(SieveWeighting.of(2)).containsExactly(1.0, 1.0);
        // K = 1: just the final head.
        assertThat(SieveWeighting.of(1)).containsExactly(1.0);
    }

    @Test
    void sieveFinalHeadCarriesHalfTheTotal() {
        for (int k = 2; k <= 40; k++) {
            double[] b = SieveWeighting.of(k);
            double sum = 0;
            for (double w : b) {
                sum += w;
            }
            assertThat(b[k - 1]).isEqualTo(1.0);
            assertThat(sum).isCloseTo(2.0, within(1e-9));
        }
    }

    @Test
    void opt() {
        assertThat(new OptWeighting(4, 1).weights(0)).containsExactly(1, 0, 0, 0);
        assertThat(new OptWeighting(4, 3).weights(9)).containsExactly(0, 0, 1, 0);
        assertThat(new OptWeighting(4, 3).name()).isEqualTo("opt:3");
        OptWeighting last = OptWeighting.finalHead(4);
        assertThat(last.weights(0)).containsExactly(0, 0, 0, 1);
        assertThat(last.head()).isEqualTo(4);
        assertThat(last.name()).isEqualTo("opt");
        assertThat(new OptWeighting(1, 1).weights(0)).containsExactly(1.0);
        assertThatThrownBy(() -> new OptWeighting(4, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OptWeighting(4, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void weightsAreFreshCopies() {
        LossWeighting[] all = {
            new ConstWeighting(3), new LinearWeighting(3), new HalfEndWeighting(3),
            new SieveWeighting(3), new OptWeighting(3, 2), new OscillatingWeighting(3, 1),
            new AdaLossWeighting(3)
        };
        for (LossWeighting w : all) {
            double[] first = w.weights(0);
            double[] copy = first.clone();
            first[0] = 99;
            assertThat(w.weights(0)).as(w.name()).containsExactly(copy);
            assertThat(w.heads()).isEqualTo(3);
            assertThat(w.state()).isNotNull();
        }
    }

    @Test
    void rejectsNoHeads() {
        assertThatThrownBy(() -> new ConstWeighting(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SieveWeighting.of(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AdaLossWeighting(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
