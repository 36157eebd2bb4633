package dev.anytimenn.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.anytimenn.eval.BudgetedBatch.Outcome;
import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.infer.ExitThresholds;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BudgetedBatchTest {

    private static final double INF = Double.POSITIVE_INFINITY;
    private static final int K = 5;
    private static final int N = 10_000;
    private static final double[] QS = {-3.0, 0.0, 0.1, 0.3, 0.5, 0.9};

    @Test
    void exitDistributionIsTheNormalisedGeometricLaw() {
        double[] p = BudgetedBatch.exitDistribution(0.5, 4);
        double z = 0.5 + 0.25 + 0.125 + 0.0625;
        assertThat(p).containsExactly(new double[] {0.5 / z, 0.25 / z, 0.125 / z, 0.0625 / z}, within(1e-15));
        assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, within(1e-15));
        assertThat(BudgetedBatch.exitDistribution(1.0, 3)).containsExactly(1.0, 0.0, 0.0);
        assertThat(BudgetedBatch.exitDistribution(0.0, 4)).containsExactly(0.25, 0.25, 0.25, 0.25);
        assertThat(BudgetedBatch.exitDistribution(0.3, 1)).containsExactly(1.0);
    }

    @Test
    void negativeQMirrorsTheLawTowardsTheFinalExit() {
        // r = 1 - q; ratio r and ratio 1/r give the same law read backwards.
        double[] deep = BudgetedBatch.exitDistribution(1.0 - 4.0, 4);
        double[] shallow = BudgetedBatch.exitDistribution(1.0 - 0.25, 4);
        for (int k = 0; k < 4; k++) {
            assertThat(deep[k]).isCloseTo(shallow[3 - k], within(1e-15));
        }
        double[] extreme = BudgetedBatch.exitDistribution(-1e300, 6); // must not overflow
        assertThat(extreme[5]).isEqualTo(1.0);
    }

    @Test
    void exitDistributionRejectsBadArguments() {
        for (double q : new double[] {1.0000001, 2.0, Double.NaN, INF, -INF}) {
            assertThatThrownBy(() -> BudgetedBatch.exitDistribution(q, 3))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> BudgetedBatch.exitDistribution(0.5, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void calibrationMeetsTheQuotasExactlyOnValidationAndApproximatelyOnTest() {
        double[][] val = syntheticScores(new Random(1), N);
        double[][] test = syntheticScores(new Random(2), N);
        long[] macs = {1, 2, 3, 4, 5};
        for (double q : QS) {
            ExitThresholds t = BudgetedBatch.calibrate(val, q, ConfidenceScore.MAX_SOFTMAX);
            double[] p = BudgetedBatch.exitDistribution(q, K);
            double[] onVal = fractions(t, val, macs);
            int left = N;
            for (int k = 0; k < K - 1; k++) {
                int quota = BudgetedBatch.exitQuota(N, p[k]);
                assertThat(quota).isEqualTo((int) Math.floor(N * p[k] + 1e-9));
                assertThat(onVal[k]).as("q=%s exit %s", q, k).isEqualTo((double) quota / N);
                left -= quota;
            }
            assertThat(onVal[K - 1]).isEqualTo((double) left / N);
            double[] onTest = fractions(t, test, macs);
            assertThat(onTest).as("q=%s", q).containsExactly(p, within(0.03));
        }
    }

    @Test
    void calibrationOfTheThresholdsThemselves() {
        // N = 3, q = 0.5, K = 4: quotas floor(3 * 8/15) = 1, then floor(0.8) = 0, floor(0.4) = 0.
        double[][] scores = {{0.2, 0.9, 0.5}, {1, 1, 1}, {1, 1, 1}, {0, 0, 0}};
        ExitThresholds t = BudgetedBatch.calibrate(scores, 0.5, ConfidenceScore.MARGIN);
        assertThat(t.score()).isEqualTo(ConfidenceScore.MARGIN);
        assertThat(t.thresholds()).containsExactly(0.9, INF, INF, -INF);
        // A single exit needs no calibration.
        assertThat(BudgetedBatch.calibrate(new double[][] {{0.3}}, 0.5, ConfidenceScore.MARGIN).thresholds())
                .containsExactly(-INF);
    }

    @Test
    void tiesLeaveTogetherAndAShortRemainderTakesTheLowestScore() {
        // Uniform law over 3 exits with N = 6: quotas 2 and 2. Five samples tie at exit 1 and all
        // leave there; one sample remains for a quota of 2, so T_2 is its score.
        double[][] scores = {{1, 1, 1, 1, 1, 0}, {0, 0, 0, 0, 0, 0.3}, {0, 0, 0, 0, 0, 0}};
        ExitThresholds t = BudgetedBatch.calibrate(scores, 0.0, ConfidenceScore.MAX_SOFTMAX);
        assertThat(t.thresholds()).containsExactly(1.0, 0.3, -INF);
        assertThat(fractions(t, scores, new long[] {1, 2, 3})).containsExactly(5 / 6.0, 1 / 6.0, 0.0);
    }

    @Test
    void calibrationRejectsNaNAndRaggedInput() {
        assertThatThrownBy(() -> BudgetedBatch.calibrate(new double[][] {{0.1, Double.NaN}, {0, 0}}, 0.5,
                ConfidenceScore.MAX_SOFTMAX)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BudgetedBatch.calibrate(new double[][] {{0.1, 0.2}, {0}}, 0.5,
                ConfidenceScore.MAX_SOFTMAX)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BudgetedBatch.calibrate(new double[][] {{}, {}}, 0.5,
                ConfidenceScore.MAX_SOFTMAX)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void evaluateByHand() {
        ExitThresholds t = new ExitThresholds(ConfidenceScore.MAX_SOFTMAX, new double[] {0.8, -INF});
        double[][] scores = {{0.9, 0.5, 0.8, 0.1}, {0.2, 0.2, 0.2, 0.2}};
        int[][] predictions = {{1, 0, 2, 0}, {0, 1, 0, 3}};
        int[] labels = {1, 1, 0, 3};
        // Exits used: 0, 1, 0, 1 -> predictions 1 (right), 1 (right), 2 (wrong), 3 (right).
        Outcome o = BudgetedBatch.evaluate(t, scores, predictions, labels, new long[] {10, 30});
        assertThat(o.accuracy()).isEqualTo(0.75);
        assertThat(o.averageMacs()).isEqualTo(20.0); // (10 + 30 + 10 + 30) / 4
        assertThat(o.exitFractions()).containsExactly(0.5, 0.5);
        assertThat(o.q()).isNaN();
        assertThatThrownBy(() -> BudgetedBatch.evaluate(t, scores, predictions, new int[] {1, 1, 0},
                new long[] {10, 30})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BudgetedBatch.evaluate(t, scores, predictions, labels, new long[] {10}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sweepKeepsTheOrderOfQsAndGetsCheaperAsQGrows() {
        Random random = new Random(3);
        double[][] val = syntheticScores(random, 2_000);
        double[][] test = syntheticScores(random, 2_000);
        int[][] predictions = new int[K][2_000];
        int[] labels = new int[2_000];
        for (int k = 0; k < K; k++) {
            for (int i = 0; i < 2_000; i++) {
                // Deeper exits are right more often, so cheaper rules should be less accurate.
                predictions[k][i] = random.nextDouble() < 0.5 + 0.1 * k ? labels[i] : 1;
            }
        }
        long[] macs = {100, 200, 300, 400, 500};
        double[] qs = {-19, -1, 0, 0.5, 0.95};
        List<Outcome> sweep = BudgetedBatch.sweep(val, test, predictions, labels, macs, qs,
                ConfidenceScore.MAX_SOFTMAX);
        assertThat(sweep).extracting(Outcome::q).containsExactly(-19.0, -1.0, 0.0, 0.5, 0.95);
        for (int j = 1; j < sweep.size(); j++) {
            assertThat(sweep.get(j).averageMacs()).isLessThan(sweep.get(j - 1).averageMacs());
        }
        assertThat(sweep.get(0).accuracy()).isGreaterThan(sweep.get(sweep.size() - 1).accuracy());
        assertThatThrownBy(() -> BudgetedBatch.sweep(val, new double[][] {test[0]}, predictions, labels,
                macs, qs, ConfidenceScore.MAX_SOFTMAX)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultQsSpanFromMostlyFinalExitToMostlyFirstExit() {
        double[] qs = BudgetedBatch.defaultQs();
        assertThat(qs).hasSize(41).isSorted().contains(0.0);
        assertThat(qs[0]).isCloseTo(-19.0, within(1e-12));
        assertThat(qs[40]).isCloseTo(0.95, within(1e-12));
        for (int exits = 2; exits <= 8; exits++) {
            assertThat(BudgetedBatch.exitDistribution(qs[0], exits)[exits - 1]).isBetween(0.949, 0.953);
            assertThat(BudgetedBatch.exitDistribution(qs[40], exits)[0]).isBetween(0.949, 0.953);
        }
    }

    @Test
    void forTargetMacsPicksTheMostAccurateAffordableOutcome() {
        double[] f = {1.0};
        List<Outcome> sweep = List.of(
                new Outcome(0.1, 0.90, 400, f),
                new Outcome(0.2, 0.85, 300, f),
                new Outcome(0.3, 0.86, 250, f), // better and cheaper than q = 0.2
                new Outcome(0.4, 0.86, 260, f), // tie on accuracy: the cheaper wins
                new Outcome(0.5, 0.70, 100, f));
        assertThat(BudgetedBatch.forTargetMacs(sweep, 1000)).map(Outcome::q).hasValue(0.1);
        assertThat(BudgetedBatch.forTargetMacs(sweep, 400)).map(Outcome::q).hasValue(0.1);
        assertThat(BudgetedBatch.forTargetMacs(sweep, 399.9)).map(Outcome::q).hasValue(0.3);
        assertThat(BudgetedBatch.forTargetMacs(sweep, 249)).map(Outcome::q).hasValue(0.5);
        assertThat(BudgetedBatch.forTargetMacs(sweep, 99)).isEmpty();
        assertThat(BudgetedBatch.forTargetMacs(List.of(), 1e9)).isEmpty();
    }

    /**
     * Confidence that grows with depth and is shared across exits through a per-sample ease, as
     * in real networks; doubles from a seeded Random are distinct in practice.
     */
    private static double[][] syntheticScores(Random random, int n) {
        double[][] scores = new double[K][n];
        for (int i = 0; i < n; i++) {
            double ease = random.nextDouble();
            for (int k = 0; k < K; k++) {
                scores[k][i] = 0.5 * ease + 0.3 * random.nextDouble() + 0.05 * k;
            }
        }
        return scores;
    }

    private static double[] fractions(ExitThresholds t, double[][] scores, long[] macs) {
        int n = scores[0].length;
        int[][] predictions = new int[scores.length][n];
        return BudgetedBatch.evaluate(t, scores, predictions, new int[n], macs).exitFractions();
    }
}
