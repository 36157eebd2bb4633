package dev.anytimenn.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
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

    /** Heads chosen before eann-oscillating got a base of its own: runs of "oscillating" resume identically. */
    @Test
    void unmaskedChoicesAreThoseOfEarlierVersions() {
        OscillatingWeighting k12 = new OscillatingWeighting(12, 1);
        int[] first = new int[24];
        int[] counts = new int[12];
        for (int step = 0; step < 10_000; step++) {
            counts[k12.chosenHead(step)]++;
            if (step < first.length) {
                first[step] = k12.chosenHead(step);
            }
        }
        assertThat(first).containsExactly(11, 3, 5, 3, 3, 1, 11, 7, 11, 4, 7, 9, 11, 1, 0, 11, 11, 3, 11, 11, 11, 11,
                3, 11);
        assertThat(counts).containsExactly(268, 513, 253, 1069, 274, 522, 237, 816, 255, 507, 261, 5025);
        OscillatingWeighting k8 = new OscillatingWeighting(8, 2019);
        int[] chosen = new int[12];
        for (int step = 0; step < chosen.length; step++) {
            chosen[step] = k8.chosenHead(step);
        }
        assertThat(chosen).containsExactly(7, 3, 7, 7, 1, 1, 7, 1, 1, 7, 7, 5);
        assertThat(k8.weights(1_000_003L)).containsExactly(1 / 11.0, 2 / 11.0, 1 / 11.0, 3 / 11.0, 1 / 11.0,
                2 / 11.0 + 1, 1 / 11.0, 1.0);
        assertThat(LossWeightings.create("oscillating", 12, 1).weights(17)).containsExactly(k12.weights(17));
    }

    @Test
    void eannOscillatingSamplesOnlyTheTrainedHeadsWithHalfTheirTotalAsBonus() {
        // K = 8: SIEVE [1,2,1,3,1,2,1,11]/11, the first 4 zeroed: base [0,0,0,0,1,2,1,11]/11, total 15/11
        LossWeighting w = LossWeightings.create("eann-oscillating", 8, 2019);
        assertThat(w.name()).isEqualTo("eann-oscillating");
        double[] raw = {0, 0, 0, 0, 1, 2, 1, 11};
        double total = 15 / 11.0;
        for (int j = 0; j < 8; j++) {
            assertThat(w.staticWeights()[j]).as("head %d", j + 1).isCloseTo(raw[j] / 11, within(1e-12));
        }
        assertThat(w.trainedHeads()).containsExactly(false, false, false, false, true, true, true, true);
        int n = 20_000;
        int[] counts = new int[8];
        for (long step = 0; step < n; step++) {
            double[] b = w.weights(step);
            assertThat(Arrays.stream(b).sum()).isCloseTo(1.5 * total, within(1e-12));
            int bumped = -1;
            for (int j = 0; j < 8; j++) {
                if (Math.abs(b[j] - raw[j] / 11) > 1e-12) {
                    assertThat(bumped).as("step %d: one bonus", step).isEqualTo(-1);
                    assertThat(b[j] - raw[j] / 11).isCloseTo(total / 2, within(1e-12));
                    bumped = j;
                }
            }
            assertThat(bumped).as("step %d", step).isGreaterThanOrEqualTo(4);
            counts[bumped]++;
        }
        for (int j = 4; j < 8; j++) {
            double p = raw[j] / 15;
            double sd = Math.sqrt(p * (1 - p) / n);
            assertThat(counts[j] / (double) n).as("head %d", j + 1).isCloseTo(p, within(5 * sd));
        }
    }

    @Test
    void eannOscillatingWithOddOrSingleHeads() {
        // K = 3: SIEVE [2,1,3]/3, head 1 zeroed: base [0, 1/3, 1], total 4/3, bonus 2/3
        LossWeighting three = LossWeightings.create("eann-oscillating", 3, 4);
        for (long step = 0; step < 500; step++) {
            double[] b = three.weights(step);
            assertThat(b[0]).isZero();
            assertThat(b[1] + b[2]).isCloseTo(2.0, within(1e-12));
        }
        assertThat(LossWeightings.create("eann-oscillating", 1, 4).weights(3)).containsExactly(1.5);
    }

    @Test
    void statelessCheckpoint() {
        assertThat(new OscillatingWeighting(4, 1).state()).isEqualTo(WeightingState.EMPTY);
    }
}
