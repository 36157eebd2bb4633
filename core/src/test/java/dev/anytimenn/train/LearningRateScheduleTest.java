package dev.anytimenn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    private static TrainConfig config(String schedule, double warmup) {
        return new TrainConfig(10, 32, 0.1, 0.9, false, 1e-4, schedule, warmup, 1, 0, 0, 0, false, "const");
    }

    @Test
    void cosineFallsFromThePeakToZero() {
        LearningRateSchedule s = LearningRateSchedule.of(config("cosine", 0));
        assertThat(s.rate(0)).isCloseTo(0.1, within(1e-12));
        assertThat(s.rate(5)).isCloseTo(0.05, within(1e-12));
        assertThat(s.rate(10)).isCloseTo(0.0, within(1e-12));
        assertThat(s.rate(2.5)).isCloseTo(0.05 * (1 + Math.cos(Math.PI / 4)), within(1e-12));
    }

    @Test
    void stepDividesByTenAtHalfAndThreeQuarters() {
        LearningRateSchedule s = LearningRateSchedule.of(config("step", 0));
        assertThat(s.rate(4.99)).isEqualTo(0.1);
        assertThat(s.rate(5)).isCloseTo(0.01, within(1e-12));
        assertThat(s.rate(7.5)).isCloseTo(0.001, within(1e-12));
    }

    @Test
    void warmupRampsLinearly() {
        LearningRateSchedule s = LearningRateSchedule.of(config("step", 2));
        assertThat(s.rate(0)).isEqualTo(0);
        assertThat(s.rate(1)).isCloseTo(0.05, within(1e-12));
        assertThat(s.rate(2)).isCloseTo(0.1, within(1e-12));
    }
}
