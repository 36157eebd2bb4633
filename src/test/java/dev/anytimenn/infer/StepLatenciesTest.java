package dev.anytimenn.infer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepLatenciesTest {

    @Test
    void estimateIsAHighQuantileOfTheRecentWindow() {
        StepLatencies l = new StepLatencies(2);
        assertThat(l.estimate(0)).isZero();
        for (int i = 1; i <= 100; i++) {
            l.record(0, i);
        }
        // the window holds 37..100; its 95th percentile is the 61st of 64 values
        assertThat(l.estimate(0)).isEqualTo(97);
        assertThat(l.median(0)).isEqualTo(68);
        assertThat(l.estimate(1)).isZero();
    }

    @Test
    void aSingleOutlierDoesNotMoveTheEstimate() {
        StepLatencies l = new StepLatencies(1);
        for (int i = 0; i < 63; i++) {
            l.record(0, 300_000);
        }
        l.record(0, 50_000_000);
        assertThat(l.estimate(0)).isEqualTo(300_000);
    }
}
