package dev.anytimenn.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anytimenn.eval.AnytimeCurve.Point;
import org.junit.jupiter.api.Test;

class AnytimeCurveTest {

    private static final long[] COSTS = {100, 250, 400};
    private static final double[] ACC = {0.6, 0.7, 0.8};

    @Test
    void deepestExitWithinEachBudget() {
        assertThat(AnytimeCurve.of(COSTS, ACC, new long[] {99, 100, 249, 250, 300, 400, 10_000}))
                .containsExactly(
                        new Point(99, 0, 0.0), // nothing fits: no answer counts as wrong
                        new Point(100, 1, 0.6), // exactly at a cost
                        new Point(249, 1, 0.6),
                        new Point(250, 2, 0.7),
                        new Point(300, 2, 0.7), // between costs
                        new Point(400, 3, 0.8),
                        new Point(10_000, 3, 0.8)); // above the last
    }

    @Test
    void defaultBudgetsCoverCostsMidpointsAndOnePointBelow() {
        assertThat(AnytimeCurve.defaultBudgets(COSTS)).containsExactly(50, 100, 175, 250, 325, 400);
        assertThat(AnytimeCurve.defaultBudgets(new long[] {0, 1, 1, 4})).containsExactly(0, 1, 2, 4);
        assertThat(AnytimeCurve.defaultBudgets(new long[] {Long.MAX_VALUE - 2, Long.MAX_VALUE}))
                .containsExactly(Long.MAX_VALUE / 2 - 1, Long.MAX_VALUE - 2, Long.MAX_VALUE - 1, Long.MAX_VALUE);
    }

    @Test
    void rejectsInconsistentInput() {
        assertThatThrownBy(() -> AnytimeCurve.of(COSTS, new double[] {0.5}, new long[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnytimeCurve.defaultBudgets(new long[] {5, 3}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnytimeCurve.defaultBudgets(new long[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
