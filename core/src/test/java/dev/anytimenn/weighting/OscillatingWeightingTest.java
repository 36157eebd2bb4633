package dev.anytimenn.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OscillatingWeightingTest {

    @Test
    void baseIsSieve() {
        assertThat(new OscillatingWeighting(8, 3).baseWeights()).containsExactly(SieveWeighting.of(8));
    }

    @Test
    void pureFunctionOfSeedAndStep() {
        OscillatingWeighting a = new OscillatingWeighting(8, 42);
        OscillatingWeighting b = new OscillatingWeighting(8, 42);
        for (long step : new long[] {0, 1, 2, 17, 1000, 123_456_789L}) {
            double[] first = a.weights(step);
            assertThat(a.weights(step)).containsExactly(first);
            assertThat(b.weights(step)).containsExactly(first);
        }
        // Asking out of order does not change anything either.
        double[] at5 = a.weights(5);
        a.weights(900);
        assertThat(a.weights(5)).containsExactly(at5);
    }

    @Test
    void differentSeedsGiveDifferentSequences() {
        OscillatingWeighting a = new OscillatingWeighting(8, 1);
        OscillatingWeighting b = new OscillatingWeighting(8, 2);
        int differ = 0;
        for (long step = 0; step < 200; step++) {
            if (a.chosenHead(step) != b.chosenHead(step)) {
                differ++;
            }
        }
        assertThat(differ).isGreaterThan(50);
    }

    @Test
    void exactlyOneHeadGetsHalfTheTotalEachStep() {
        OscillatingWeighting w = new OscillatingWeighting(8, 7);
        double[] base = w.baseWeights();
        double half = 1.0; // K = 8: sum B = 22/11 = 2, so the bonus is 1
        for (long step = 0; step < 2_000; step++) {
            double[] b = w.weights(step);
            int bumped = 0;
            for (int j = 0; j < 8; j++) {
                double diff = b[j] - base[j];
                if (diff != 0) {
                    bumped++;
                    assertThat(diff).isCloseTo(half, within(1e-12));
                    assertThat(j).isEqualTo(w.chosenHead(step));
                }
            }
            assertThat(bumped).isEqualTo(1);
        }
    }

    @Test
    void selectionFrequenciesMatchTheSieveWeights() {
        int n = 20_000;
        OscillatingWeighting w = new OscillatingWeighting(8, 2019);
        int[] counts = new int[8];
        for (long step = 0; step < n; step++) {
            counts[w.chosenHead(step)]++;
        }
        // Final head: probability 11/22 = 1/2; sd of the frequency = sqrt(0.25 / n) ~ 0.0035.
        assertThat(counts[7] / (double) n).isCloseTo(0.5, within(0.02));
        double[] raw = {1, 2, 1, 3, 1, 2, 1, 11};
        for (int j = 0; j < 8; j++) {
            double p = raw[j] / 22;
            double sd = Math.sqrt(p * (1 - p) / n);
            assertThat(counts[j] / (double) n).as("head %d", j + 1).isCloseTo(p, within(5 * sd));
        }
    }

    @Test
    void singleHeadAlwaysChosen() {
        OscillatingWeighting w = new OscillatingWeighting(1, 5);
        assertThat(w.weights(0)).containsExactly(1.5); // base 1 + sum/2 = 0.5
        assertThat(w.weights(99)).containsExactly(1.5);
    }

    @Test
    void statelessCheckpoint() {
        assertThat(new OscillatingWeighting(4, 1).state()).isEqualTo(WeightingState.EMPTY);
    }
}
