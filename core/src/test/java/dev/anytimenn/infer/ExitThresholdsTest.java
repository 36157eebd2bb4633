package dev.anytimenn.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ExitThresholdsTest {

    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void firstExitWhoseScoreReachesItsThreshold() {
        ExitThresholds t = new ExitThresholds(ConfidenceScore.MAX_SOFTMAX, new double[] {0.9, INF, 0.5, -INF});
        assertThat(t.exits()).isEqualTo(4);
        assertThat(t.exitFor(new double[] {0.9, 1.0, 1.0, 0.0})).isEqualTo(0); // equality leaves
        assertThat(t.exitFor(new double[] {0.8, 1.0, 0.6, 0.0})).isEqualTo(2); // +inf: nobody leaves
        assertThat(t.exitFor(new double[] {0.8, 1.0, 0.4, 0.0})).isEqualTo(3);
        assertThat(t.exitFor(new double[] {Double.NaN, 1.0, Double.NaN, Double.NaN})).isEqualTo(3);
        assertThat(t.leavesAt(0, 0.95)).isTrue();
        assertThat(t.leavesAt(1, 1e300)).isFalse();
        assertThat(t.leavesAt(3, Double.NaN)).isTrue();
        assertThatThrownBy(() -> t.exitFor(new double[] {1.0})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsMalformedThresholds() {
        assertThatThrownBy(() -> new ExitThresholds(ConfidenceScore.MARGIN, new double[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExitThresholds(ConfidenceScore.MARGIN, new double[] {0.5, 0.2}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExitThresholds(ConfidenceScore.MARGIN, new double[] {Double.NaN, -INF}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isAValueThatCallersCannotAlter() {
        double[] raw = {0.7, -INF};
        ExitThresholds t = new ExitThresholds(ConfidenceScore.MARGIN, raw);
        raw[0] = 0.0;
        t.thresholds()[0] = 0.0;
        assertThat(t.thresholds()).containsExactly(0.7, -INF);
        assertThat(t).isEqualTo(new ExitThresholds(ConfidenceScore.MARGIN, new double[] {0.7, -INF}));
        assertThat(t).hasSameHashCodeAs(new ExitThresholds(ConfidenceScore.MARGIN, new double[] {0.7, -INF}));
    }

    @Test
    void jsonRoundTripWithAPlainObjectMapperKeepsInfinities() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ExitThresholds t = new ExitThresholds(ConfidenceScore.NEGATIVE_ENTROPY,
                new double[] {-0.125, INF, 0.1 + 0.2, -INF});
        String json = mapper.writeValueAsString(t);
        // Strict JSON: infinities as strings, not the bare non-standard tokens.
        assertThat(json).isEqualTo(
                "{\"score\":\"entropy\",\"thresholds\":[-0.125,\"Infinity\",0.30000000000000004,\"-Infinity\"]}");
        assertThat(mapper.readValue(json, ExitThresholds.class)).isEqualTo(t);
    }
}
