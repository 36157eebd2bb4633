package dev.anytimenn.infer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepLatenciesTest {

    @Test
    void estimateIsTheUpperQuartileOfTheRecentWarmWindow() {
        StepLatencies l = new StepLatencies(2);
        assertThat(l.estimate(0)).isZero();
        for (int i = 1; i <= 100; i++) {
            l.record(0, i);
        }
        // 1 and 2 are cold; the window holds the last 32 warm ones, 69..100: the 24th is 92
        assertThat(l.estimate(0)).isEqualTo(92);
        assertThat(l.median(0)).isEqualTo(84);
        assertThat(l.estimate(1)).isZero();
    }

    @Test
    void coldFirstStepsStayOutOfTheEstimate() {
        StepLatencies l = new StepLatencies(1);
        l.record(0, 50_000_000);
        l.record(0, 20_000_000);
        assertThat(l.warm()).isFalse();
        for (int i = 0; i < StepLatencies.SETTLED; i++) {
            l.record(0, 300_000);
        }
        assertThat(l.warm()).isTrue();
        assertThat(l.estimate(0)).isEqualTo(300_000);
    }

    @Test
    void outliersMoveTheEstimateOnlyWhileTheyAreMoreThanAQuarter() {
        StepLatencies l = new StepLatencies(1);
        for (int i = 0; i < StepLatencies.COLD + StepLatencies.WINDOW; i++) {
            l.record(0, 300_000);
        }
        for (int i = 0; i < StepLatencies.WINDOW / 4; i++) {
            l.record(0, 50_000_000);
        }
        assertThat(l.estimate(0)).isEqualTo(300_000);
        assertThat(l.inflated(0)).isFalse();
        l.record(0, 50_000_000);
        assertThat(l.estimate(0)).isEqualTo(50_000_000);
        assertThat(l.inflated(0)).isTrue();
        // a burst that long is forgotten by measuring afresh
        l.reset();
        assertThat(l.warm()).isFalse();
        for (int i = 0; i < StepLatencies.COLD + StepLatencies.SETTLED; i++) {
            l.record(0, 300_000);
        }
        assertThat(l.estimate(0)).isEqualTo(300_000);
    }
}
