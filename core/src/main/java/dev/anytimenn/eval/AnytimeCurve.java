package dev.anytimenn.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * Anytime accuracy against a per-sample budget: the run is interrupted once the budget is spent,
 * and the answer is the deepest exit already reached.
 */
public final class AnytimeCurve {

    private AnytimeCurve() {}

    /**
     * @param budgetMacs the budget
     * @param exit 1-based deepest exit whose cumulative MACs fit the budget, 0 if none does
     * @param accuracy that exit's accuracy; 0 when none fits, since a run without an answer is
     *     counted as wrong on every sample
     */
    public record Point(long budgetMacs, int exit, double accuracy) {}

    /**
     * One point per budget, in the order given. {@code cumulativeMacs} must be non-decreasing (the
     * cost of reaching each exit) and match {@code exitAccuracies} in length.
     */
    public static List<Point> of(long[] cumulativeMacs, double[] exitAccuracies, long[] budgets) {
        requireCosts(cumulativeMacs);
        if (exitAccuracies.length != cumulativeMacs.length) {
            throw new IllegalArgumentException("got " + exitAccuracies.length + " accuracies for "
                    + cumulativeMacs.length + " exits");
        }
        List<Point> points = new ArrayList<>(budgets.length);
        for (long budget : budgets) {
            int exit = 0;
            while (exit < cumulativeMacs.length && cumulativeMacs[exit] <= budget) {
                exit++;
            }
            points.add(new Point(budget, exit, exit == 0 ? 0.0 : exitAccuracies[exit - 1]));
        }
        return points;
    }

    /**
     * Budgets that show every step of the curve: each exit's cost, the midpoint between
     * consecutive costs, and half the first cost (a budget where nothing fits; left out if the
     * first exit is free). Sorted ascending, distinct.
     */
    public static long[] defaultBudgets(long[] cumulativeMacs) {
        requireCosts(cumulativeMacs);
        LongStream.Builder b = LongStream.builder();
        if (cumulativeMacs[0] > 0) {
            b.add(cumulativeMacs[0] / 2);
        }
        for (int k = 0; k < cumulativeMacs.length; k++) {
            b.add(cumulativeMacs[k]);
            if (k + 1 < cumulativeMacs.length) {
                // a + (b - a) / 2 rather than (a + b) / 2: no overflow for huge costs
                b.add(cumulativeMacs[k] + (cumulativeMacs[k + 1] - cumulativeMacs[k]) / 2);
            }
        }
        return b.build().sorted().distinct().toArray();
    }

    private static void requireCosts(long[] cumulativeMacs) {
        if (cumulativeMacs.length == 0) {
            throw new IllegalArgumentException("need at least one exit");
        }
        if (cumulativeMacs[0] < 0) {
            throw new IllegalArgumentException("MACs must not be negative");
        }
        for (int k = 1; k < cumulativeMacs.length; k++) {
            if (cumulativeMacs[k] < cumulativeMacs[k - 1]) {
                throw new IllegalArgumentException("cumulative MACs must not decrease with depth");
            }
        }
    }
}
