package dev.anytimenn.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdaLossWeightingTest {

    private static final double EPS = 1e-12;

    private static AdaLossOptions opts(double mu, double gamma, int every, double bonus) {
        return new AdaLossOptions(mu, gamma, every, bonus);
    }

    @Test
    void defaults() {
        assertThat(AdaLossOptions.DEFAULTS).isEqualTo(new AdaLossOptions(0.9, 0.07, 100, 0.0));
        assertThat(new AdaLossWeighting(3).options()).isEqualTo(AdaLossOptions.DEFAULTS);
        assertThat(new AdaLossWeighting(3).name()).isEqualTo("adaloss");
    }

    @Test
    void allOnesBeforeTheFirstUpdate() {
        AdaLossWeighting w = new AdaLossWeighting(3); // U = 100
        assertThat(w.weights(0)).containsExactly(1, 1, 1);
        for (long t = 0; t < 99; t++) {
            w.observe(t, new double[] {3, 2, 1});
            assertThat(w.weights(t + 1)).containsExactly(1, 1, 1);
        }
        w.observe(99, new double[] {3, 2, 1}); // (99+1) % 100 == 0 -> first update
        // the averages of a constant loss are that loss: B = 0.93 (1/l) / max(1/l) + 0.07
        assertThat(w.weights(100)).containsExactly(new double[] {0.93 / 3 + 0.07, 0.93 / 2 + 0.07, 1.0}, within(EPS));
    }

    @Test
    void firstUpdateByHand() {
        AdaLossWeighting w = new AdaLossWeighting(3, opts(0.9, 0.07, 1, 0.0));
        w.observe(0, new double[] {2, 1, 0.5});
        // lbar = l = [2, 1, 0.5]; v = 1/lbar = [0.5, 1, 2]; v / max = [0.25, 0.5, 1]
        // B = 0.93 v + 0.07 = [0.3025, 0.535, 1]
        assertThat(w.lossAverages()).containsExactly(2, 1, 0.5);
        assertThat(w.weights(1)).containsExactly(new double[] {0.3025, 0.535, 1.0}, within(EPS));
    }

    @Test
    void emaOverSeveralStepsByHand() {
        AdaLossWeighting w = new AdaLossWeighting(3, opts(0.9, 0.07, 1, 0.0));
        w.observe(0, new double[] {2, 1, 0.5}); // lbar = [2, 1, 0.5]
        w.observe(1, new double[] {1, 2, 0.5}); // lbar = [1.8+0.1, 0.9+0.2, 0.45+0.05] = [1.9, 1.1, 0.5]
        assertThat(w.lossAverages()).containsExactly(new double[] {1.9, 1.1, 0.5}, within(EPS));
        w.observe(2, new double[] {0, 0, 1.5}); // lbar = [1.71, 0.99, 0.45+0.15] = [1.71, 0.99, 0.6]
        assertThat(w.lossAverages()).containsExactly(new double[] {1.71, 0.99, 0.6}, within(EPS));
        // v = 1/lbar; max is 1/0.6, so v/max = [0.6/1.71, 0.6/0.99, 1] = [20/57, 20/33, 1]
        // B = 0.93 v + 0.07 = [18.6/57 + 0.07, 18.6/33 + 0.07, 1] = [0.396315789..., 0.633636..., 1]
        assertThat(w.weights(3))
                .containsExactly(new double[] {18.6 / 57 + 0.07, 18.6 / 33 + 0.07, 1.0}, within(EPS));
        assertThat(w.weights(3)[0]).isCloseTo(0.3963157894736842, within(1e-12));
        assertThat(w.weights(3)[1]).isCloseTo(0.6336363636363636, within(1e-12));
    }

    @Test
    void updateEveryThreeChangesOnlyAfterSteps2And5() {
        AdaLossWeighting w = new AdaLossWeighting(3, opts(0.9, 0.07, 3, 0.0));
        double[][] losses = {{2, 1, 0.5}, {3, 1, 0.5}, {1, 2, 0.5}, {4, 1, 1}, {1, 1, 2}, {2, 3, 1}};
        double[] prev = w.weights(0);
        for (int t = 0; t < losses.length; t++) {
            w.observe(t, losses[t]);
            double[] now = w.weights(t + 1);
            if (t == 2 || t == 5) {
                assertThat(now).as("after step %d", t).isNotEqualTo(prev);
                assertThat(now).containsExactly(AdaLossWeighting.weightsFor(w.lossAverages(), w.options()));
            } else {
                assertThat(now).as("after step %d", t).containsExactly(prev);
            }
            prev = now;
        }
        assertThat(w.weights(0)).containsExactly(prev); // weights do not depend on the step asked
    }

    @Test
    void finalBonusByHand() {
        AdaLossWeighting w = new AdaLossWeighting(3, opts(0.9, 0.07, 1, 1.0));
        w.observe(0, new double[] {2, 1, 0.5});
        // v / max = [0.25, 0.5, 1]; v_K += 1 -> [0.25, 0.5, 2]; / 2 -> [0.125, 0.25, 1]
        // B = 0.93 v + 0.07 = [0.18625, 0.3025, 1]
        assertThat(w.weights(1)).containsExactly(new double[] {0.18625, 0.3025, 1.0}, within(EPS));
    }

    @Test
    void finalBonusWhenFinalIsNotTheMax() {
        AdaLossWeighting w = new AdaLossWeighting(2, opts(0.5, 0.1, 1, 1.0));
        w.observe(0, new double[] {1, 4});
        // v = [1, 0.25] (max already 1); v_K += 1 -> [1, 1.25]; / 1.25 -> [0.8, 1]
        // B = 0.9 v + 0.1 = [0.82, 1]
        assertThat(w.weights(1)).containsExactly(new double[] {0.82, 1.0}, within(EPS));
    }

    @Test
    void gammaFloor() {
        double gamma = 0.07;
        AdaLossWeighting w = new AdaLossWeighting(6, opts(0.9, gamma, 1, 0.5));
        SplittableRandom rnd = new SplittableRandom(11);
        for (int t = 0; t < 500; t++) {
            double[] l = new double[6];
            for (int i = 0; i < 6; i++) {
                l[i] = Math.pow(10, rnd.nextDouble(-6, 6)); // losses over 12 orders of magnitude
            }
            w.observe(t, l);
            double[] b = w.weights(t + 1);
            for (double x : b) {
                assertThat(x).isBetween(gamma, 1.0);
            }
            assertThat(java.util.Arrays.stream(b).max().orElseThrow()).isCloseTo(1.0, within(EPS));
        }
    }

    @Test
    void zeroLossIsClampedNotNaN() {
        AdaLossWeighting w = new AdaLossWeighting(3, opts(0.9, 0.07, 1, 0.0));
        w.observe(0, new double[] {0, 1, 1});
        double[] b = w.weights(1);
        // lbar_1 = 0 is clamped to 1e-12: v = [1e12, 1, 1] / 1e12 -> B = [1, ~0.07, ~0.07]
        assertThat(b[0]).isEqualTo(1.0);
        assertThat(b[1]).isCloseTo(0.07, within(1e-9));
        assertThat(b[2]).isCloseTo(0.07, within(1e-9));
    }

    @Test
    void nonFiniteOrMisSizedLossRejected() {
        AdaLossWeighting w = new AdaLossWeighting(3, opts(0.9, 0.07, 1, 0.0));
        assertThatThrownBy(() -> w.observe(0, new double[] {1, Double.NaN, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("head 2");
        assertThatThrownBy(() -> w.observe(0, new double[] {1, 1, Double.POSITIVE_INFINITY}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.observe(0, new double[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class);
        // Nothing was recorded by the rejected calls.
        assertThat(w.lossAverages()).isNull();
        assertThat(w.weights(0)).containsExactly(1, 1, 1);
    }

    @Test
    void optionValidationNamesTheField() {
        assertThatThrownBy(() -> opts(1.0, 0.07, 1, 0)).hasMessageContaining("mu");
        assertThatThrownBy(() -> opts(-0.1, 0.07, 1, 0)).hasMessageContaining("mu");
        assertThatThrownBy(() -> opts(Double.NaN, 0.07, 1, 0)).hasMessageContaining("mu");
        assertThatThrownBy(() -> opts(0.9, 0, 1, 0)).hasMessageContaining("gamma");
        assertThatThrownBy(() -> opts(0.9, 1.5, 1, 0)).hasMessageContaining("gamma");
        assertThatThrownBy(() -> opts(0.9, 0.07, 0, 0)).hasMessageContaining("updateEvery");
        assertThatThrownBy(() -> opts(0.9, 0.07, 1, -1)).hasMessageContaining("finalBonus");
        assertThatThrownBy(() -> opts(0.9, 0.07, 1, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("finalBonus");
        // Boundaries that are allowed.
        opts(0.0, 1.0, 1, 0.0);
    }

    @Test
    void stateRoundTripContinuesIdentically() throws Exception {
        AdaLossOptions o = opts(0.9, 0.07, 3, 1.0);
        AdaLossWeighting uninterrupted = new AdaLossWeighting(4, o);
        AdaLossWeighting first = new AdaLossWeighting(4, o);
        SplittableRandom rnd = new SplittableRandom(5);
        double[][] losses = new double[40][4];
        for (double[] l : losses) {
            for (int i = 0; i < 4; i++) {
                l[i] = rnd.nextDouble(0.1, 3);
            }
        }
        int stop = 16; // not on an update boundary: lbar has moved since the last update
        for (int t = 0; t < stop; t++) {
            first.observe(t, losses[t]);
        }
        ObjectMapper mapper = new ObjectMapper();
        String json = mapper.writeValueAsString(first.state());
        AdaLossWeighting resumed = new AdaLossWeighting(4, o);
        resumed.restore(mapper.readValue(json, WeightingState.class));
        assertThat(resumed.state()).isEqualTo(first.state());

        for (int t = 0; t < losses.length; t++) {
            double[] b = uninterrupted.weights(t);
            if (t >= stop) {
                assertThat(resumed.weights(t)).as("step %d", t).containsExactly(b);
                resumed.observe(t, losses[t]);
            }
            uninterrupted.observe(t, losses[t]);
        }
        assertThat(resumed.state()).isEqualTo(uninterrupted.state());
    }

    @Test
    void restoreEmptyResets() {
        AdaLossWeighting w = new AdaLossWeighting(2, opts(0.9, 0.07, 1, 0));
        w.observe(0, new double[] {1, 2});
        w.restore(WeightingState.EMPTY);
        assertThat(w.lossAverages()).isNull();
        assertThat(w.weights(0)).containsExactly(1, 1);
        assertThatThrownBy(() -> w.restore(new WeightingState(new double[] {1}, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 heads");
    }

    @Test
    void stateIsACopy() {
        AdaLossWeighting w = new AdaLossWeighting(2, opts(0.9, 0.07, 1, 0));
        w.observe(0, new double[] {1, 2});
        WeightingState s = w.state();
        double[] before = w.weights(1);
        s.weights()[0] = 42; // accessor returns a copy
        assertThat(w.weights(1)).containsExactly(before);
        assertThat(w.state()).isEqualTo(s);
    }

    @Test
    void emptyStateSerialises() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        String json = mapper.writeValueAsString(WeightingState.EMPTY);
        assertThat(json).isEqualTo("{\"lossAverages\":null,\"weights\":null}");
        assertThat(mapper.readValue(json, WeightingState.class)).isEqualTo(WeightingState.EMPTY);
    }
}
