package dev.anytimenn.eval;

import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.infer.ExitThresholds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Budgeted batch classification as in MSDNet ({@code adaptive_inference.py} of
 * kalviny/MSDNet-PyTorch): thresholds are calibrated on validation scores so that the fraction of
 * samples leaving at exit k follows a geometric law, then applied to test samples; sweeping the
 * law's parameter q traces accuracy against average cost.
 *
 * <p>Scores, predictions and MACs are indexed {@code [exit][sample]}, exits 0-based.
 */
public final class BudgetedBatch {

    /**
     * The ratio {@code 1 - q} of {@link #defaultQs()} runs from {@code 1/DEFAULT_RATIO_SPAN} to
     * {@code DEFAULT_RATIO_SPAN}. With 20, about 95% of the samples leave at exit 1 at one end of
     * the sweep and about 95% reach the final exit at the other, for any number of exits.
     */
    static final double DEFAULT_RATIO_SPAN = 20.0;
    static final int DEFAULT_Q_COUNT = 41;

    /** Absorbs rounding in N * p_k, e.g. 10000 * 0.3 = 2999.9999999999995 must count as 3000. */
    private static final double QUOTA_SLACK = 1e-9;

    private BudgetedBatch() {}

    /**
     * Result of one calibrated rule on a test set.
     *
     * @param q the distribution parameter the thresholds were calibrated for (NaN when unknown,
     *     as from {@link #evaluate})
     * @param accuracy fraction of samples whose exit predicted their label
     * @param averageMacs mean over samples of the cumulative MACs of the exit they used
     * @param exitFractions fraction of samples leaving at each exit (sums to 1)
     */
    public record Outcome(double q, double accuracy, double averageMacs, double[] exitFractions) {

        public Outcome {
            exitFractions = exitFractions.clone();
        }

        @Override
        public double[] exitFractions() {
            return exitFractions.clone();
        }

        /** This outcome labelled with the q it was calibrated for. */
        public Outcome withQ(double newQ) {
            return new Outcome(newQ, accuracy, averageMacs, exitFractions);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Outcome other
                    && Double.compare(q, other.q) == 0
                    && Double.compare(accuracy, other.accuracy) == 0
                    && Double.compare(averageMacs, other.averageMacs) == 0
                    && Arrays.equals(exitFractions, other.exitFractions);
        }

        @Override
        public int hashCode() {
            return Objects.hash(q, accuracy, averageMacs, Arrays.hashCode(exitFractions));
        }

        @Override
        public String toString() {
            return "Outcome[q=" + q + ", accuracy=" + accuracy + ", averageMacs=" + averageMacs
                    + ", exitFractions=" + Arrays.toString(exitFractions) + "]";
        }
    }

    /**
     * Target fraction of samples leaving at each exit: {@code p_k = q (1-q)^(k-1) / Z}, k = 1..K,
     * normalised to sum to 1 — equivalently weights {@code r^(k-1)} with {@code r = 1 - q}.
     *
     * <p>q in (0, 1] gives non-increasing fractions (q = 1: everyone at exit 1; q towards 0:
     * uniform). Because only the normalised law matters, q <= 0 is accepted too and continues the
     * family past uniform (q = 0) towards the final exit: r > 1, fractions growing with depth.
     * MSDNet's sweep needs that side (its ratio goes up to 1.95); without it at most 1/K of the
     * samples could be sent to the final exit. q > 1 (negative weights) or non-finite is rejected.
     */
    public static double[] exitDistribution(double q, int exits) {
        if (!(q <= 1.0) || !Double.isFinite(q)) {
            throw new IllegalArgumentException("q must be finite and at most 1, got " + q);
        }
        if (exits < 1) {
            throw new IllegalArgumentException("need at least one exit, got " + exits);
        }
        double r = 1.0 - q;
        double[] p = new double[exits];
        // Weights relative to the largest one, so that large r (very negative q) cannot overflow.
        for (int k = 0; k < exits; k++) {
            p[k] = r <= 1.0 ? Math.pow(r, k) : Math.pow(1.0 / r, exits - 1 - k);
        }
        double z = 0.0;
        for (double w : p) {
            z += w;
        }
        for (int k = 0; k < exits; k++) {
            p[k] /= z;
        }
        return p;
    }

    /** How many of n samples should leave at an exit with target fraction p: floor(n p). */
    static int exitQuota(int n, double p) {
        return (int) Math.floor(n * p + QUOTA_SLACK);
    }

    /**
     * Calibrates thresholds on validation scores ({@code scores[k][i]}: exit k, sample i; every
     * exit the same N >= 1 samples, no NaN). Sequentially for k = 1..K-1: among the samples not
     * yet exited, the floor(N p_k) most confident leave (T_k = the score of the last of them), plus
     * any remaining sample tied with it; T_k = +Infinity when the quota is 0 (or nobody is left),
     * the lowest remaining score when fewer than the quota remain. T_K = -Infinity.
     *
     * <p>Differs from MSDNet's code only in that last case, where MSDNet keeps its +infinity
     * default and lets nobody leave.
     */
    public static ExitThresholds calibrate(double[][] scores, double q, ConfidenceScore score) {
        Objects.requireNonNull(score, "score");
        int exits = scores.length;
        int n = sampleCount(scores, "scores");
        for (double[] row : scores) {
            for (double s : row) {
                if (Double.isNaN(s)) {
                    // A NaN has no place in the ranking and would silently skew every quota.
                    throw new IllegalArgumentException("validation scores must not be NaN");
                }
            }
        }
        double[] p = exitDistribution(q, exits);
        double[] thresholds = new double[exits];
        boolean[] exited = new boolean[n];
        int remaining = n;
        double[] buffer = new double[n];
        for (int k = 0; k < exits - 1; k++) {
            int quota = exitQuota(n, p[k]);
            double t;
            if (quota == 0 || remaining == 0) {
                t = Double.POSITIVE_INFINITY;
            } else {
                int m = 0;
                for (int i = 0; i < n; i++) {
                    if (!exited[i]) {
                        buffer[m++] = scores[k][i];
                    }
                }
                Arrays.sort(buffer, 0, m);
                // The quota-th largest, or the smallest if fewer than the quota are left.
                t = buffer[Math.max(0, m - quota)];
            }
            thresholds[k] = t;
            for (int i = 0; i < n; i++) {
                if (!exited[i] && scores[k][i] >= t) {
                    exited[i] = true;
                    remaining--;
                }
            }
        }
        thresholds[exits - 1] = Double.NEGATIVE_INFINITY;
        return new ExitThresholds(score, thresholds);
    }

    /**
     * Applies thresholds to a test set. {@code predictions[k][i]} is exit k's predicted label for
     * sample i, {@code cumulativeMacs[k]} the cost of running up to and including exit k. The
     * returned {@link Outcome#q()} is NaN; {@link #sweep} fills it in.
     */
    public static Outcome evaluate(ExitThresholds t, double[][] scores, int[][] predictions,
            int[] labels, long[] cumulativeMacs) {
        int exits = t.exits();
        requireExits(scores.length, exits, "scores");
        requireExits(predictions.length, exits, "predictions");
        requireExits(cumulativeMacs.length, exits, "cumulativeMacs");
        int n = sampleCount(scores, "scores");
        if (sampleCount(predictions, "predictions") != n || labels.length != n) {
            throw new IllegalArgumentException("scores, predictions and labels must cover the same "
                    + n + " samples (labels: " + labels.length + ")");
        }
        long[] counts = new long[exits];
        long correct = 0;
        double macs = 0.0; // double: a sum of many large longs may overflow a long
        for (int i = 0; i < n; i++) {
            int k = t.exitFor(scores, i);
            counts[k]++;
            if (predictions[k][i] == labels[i]) {
                correct++;
            }
            macs += cumulativeMacs[k];
        }
        double[] fractions = new double[exits];
        for (int k = 0; k < exits; k++) {
            fractions[k] = (double) counts[k] / n;
        }
        return new Outcome(Double.NaN, (double) correct / n, macs / n, fractions);
    }

    /** For each q: calibrate on the validation scores, evaluate on the test set. Order of qs kept. */
    public static List<Outcome> sweep(double[][] valScores, double[][] testScores,
            int[][] testPredictions, int[] testLabels, long[] cumulativeMacs, double[] qs,
            ConfidenceScore score) {
        requireExits(testScores.length, valScores.length, "testScores");
        List<Outcome> outcomes = new ArrayList<>(qs.length);
        for (double q : qs) {
            ExitThresholds t = calibrate(valScores, q, score);
            outcomes.add(evaluate(t, testScores, testPredictions, testLabels, cumulativeMacs).withQ(q));
        }
        return outcomes;
    }

    /**
     * The default grid, ascending (so from most expensive to cheapest): 41 values
     * {@code q = 1 - 20^s} for s = 1, 0.95, ..., -1, i.e. the ratio r = 1 - q spaced evenly in log
     * from 20 down to 1/20, through q = 0 (uniform). For every K, about 95% of the samples reach
     * the final exit at the first value (q = -19) and about 95% leave at exit 1 at the last
     * (q = 0.95). MSDNet's grid (r = 0.05..1.95 linearly, q in [-0.95, 0.95]) stops at about half
     * the samples reaching the final exit for K = 5, which cuts off the accurate end of the curve.
     */
    public static double[] defaultQs() {
        double[] qs = new double[DEFAULT_Q_COUNT];
        int half = (DEFAULT_Q_COUNT - 1) / 2;
        for (int i = 0; i < DEFAULT_Q_COUNT; i++) {
            double s = (double) (half - i) / half; // 1 .. -1
            qs[i] = i == half ? 0.0 : 1.0 - Math.pow(DEFAULT_RATIO_SPAN, s);
        }
        return qs;
    }

    /**
     * The most accurate outcome whose average MACs are within the target (the cheaper one on a
     * tie), or empty if every outcome costs more.
     */
    public static Optional<Outcome> forTargetMacs(List<Outcome> sweep, double targetAverageMacs) {
        return sweep.stream()
                .filter(o -> o.averageMacs() <= targetAverageMacs)
                .max(Comparator.comparingDouble(Outcome::accuracy)
                        .thenComparing(Comparator.comparingDouble(Outcome::averageMacs).reversed()));
    }

    private static void requireExits(int actual, int expected, String what) {
        if (actual != expected) {
            throw new IllegalArgumentException(what + " covers " + actual + " exits, expected " + expected);
        }
    }

    private static int sampleCount(double[][] table, String what) {
        if (table.length == 0) {
            throw new IllegalArgumentException(what + " must cover at least one exit");
        }
        int n = table[0].length;
        for (double[] row : table) {
            if (row.length != n) {
                throw new IllegalArgumentException("every exit of " + what + " must cover the same samples");
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException(what + " must cover at least one sample");
        }
        return n;
    }

    private static int sampleCount(int[][] table, String what) {
        int n = table[0].length;
        for (int[] row : table) {
            if (row.length != n) {
                throw new IllegalArgumentException("every exit of " + what + " must cover the same samples");
            }
        }
        return n;
    }
}
