package dev.anytimenn.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfidenceScoreTest {

    private static final float[] UNIFORM4 = {0.25f, 0.25f, 0.25f, 0.25f};
    private static final float[] ONE_HOT = {0f, 1f, 0f};
    private static final float[] TIE = {0.4f, 0.1f, 0.4f, 0.1f};

    @Test
    void maxSoftmax() {
        assertThat(ConfidenceScore.MAX_SOFTMAX.score(UNIFORM4)).isEqualTo(0.25);
        assertThat(ConfidenceScore.MAX_SOFTMAX.score(ONE_HOT)).isEqualTo(1.0);
        assertThat(ConfidenceScore.MAX_SOFTMAX.score(TIE)).isEqualTo(0.4f);
    }

    @Test
    void negativeEntropyTreatsZeroLogZeroAsZero() {
        assertThat(ConfidenceScore.NEGATIVE_ENTROPY.score(UNIFORM4)).isCloseTo(-Math.log(4), within(1e-12));
        assertThat(ConfidenceScore.NEGATIVE_ENTROPY.score(ONE_HOT)).isEqualTo(0.0);
        double p = 0.4f;
        double q = 0.1f;
        assertThat(ConfidenceScore.NEGATIVE_ENTROPY.score(TIE))
                .isCloseTo(2 * p * Math.log(p) + 2 * q * Math.log(q), within(1e-12));
        assertThat(ConfidenceScore.NEGATIVE_ENTROPY.score(new float[] {1f})).isEqualTo(0.0);
    }

    @Test
    void marginIsZeroOnTiesAndOneForASingleClass() {
        assertThat(ConfidenceScore.MARGIN.score(UNIFORM4)).isEqualTo(0.0);
        assertThat(ConfidenceScore.MARGIN.score(ONE_HOT)).isEqualTo(1.0);
        assertThat(ConfidenceScore.MARGIN.score(TIE)).isEqualTo(0.0);
        assertThat(ConfidenceScore.MARGIN.score(new float[] {0.1f, 0.7f, 0.2f}))
                .isCloseTo(0.5, within(1e-6));
        assertThat(ConfidenceScore.MARGIN.score(new float[] {1f})).isEqualTo(1.0);
    }

    @Test
    void emptyProbabilitiesAreRejected() {
        for (ConfidenceScore s : ConfidenceScore.values()) {
            assertThatThrownBy(() -> s.score(new float[0])).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void parseAcceptsCliNamesCaseInsensitively() {
        assertThat(ConfidenceScore.parse("max-softmax")).isEqualTo(ConfidenceScore.MAX_SOFTMAX);
        assertThat(ConfidenceScore.parse("MAX-Softmax")).isEqualTo(ConfidenceScore.MAX_SOFTMAX);
        assertThat(ConfidenceScore.parse("entropy")).isEqualTo(ConfidenceScore.NEGATIVE_ENTROPY);
        assertThat(ConfidenceScore.parse("Negative-Entropy")).isEqualTo(ConfidenceScore.NEGATIVE_ENTROPY);
        assertThat(ConfidenceScore.parse("margin")).isEqualTo(ConfidenceScore.MARGIN);
        for (ConfidenceScore s : ConfidenceScore.values()) {
            assertThat(ConfidenceScore.parse(s.cliName())).isEqualTo(s);
            assertThat(ConfidenceScore.parse(s.name())).isEqualTo(s);
        }
    }

    @Test
    void parseListsTheValidNamesOnError() {
        assertThatThrownBy(() -> ConfidenceScore.parse("softmax"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("softmax")
                .hasMessageContaining("max-softmax")
                .hasMessageContaining("entropy")
                .hasMessageContaining("margin");
        assertThatThrownBy(() -> ConfidenceScore.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
