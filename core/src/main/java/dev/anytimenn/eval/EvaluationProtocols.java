package dev.anytimenn.eval;

import dev.anytimenn.data.ImageSet;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.infer.ExitThresholds;
import dev.anytimenn.infer.InferenceEngine;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.ExitCost;
import java.util.Comparator;
import java.util.List;

/**
 * The field's two evaluation protocols for anytime networks (as in MSDNet's code): the anytime
 * curve (every sample cut at the same budget) and budgeted batch classification (confidence
 * thresholds calibrated on validation data, sweeping the exit distribution q(1-q)^(k-1)).
 */
public final class EvaluationProtocols {

    private static final int BATCH = 256;
    /** Default choice of stored thresholds: the cheapest within this much accuracy of the final exit. */
    public static final double DEFAULT_ACCURACY_TOLERANCE = 0.003;

    private EvaluationProtocols() {}

    /** The deepest exit within each budget, on the test set. */
    public record AnytimeProtocol(long[] cumulativeMacs, double[] exitAccuracy, List<AnytimeCurve.Point> curve) {}

    /**
     * @param sweep test accuracy vs average MACs for every q
     * @param chosen the test outcome of the thresholds that were stored, and why they were chosen
     */
    public record BudgetedProtocol(ConfidenceScore score, long[] cumulativeMacs, double[] exitAccuracy,
            List<BudgetedBatch.Outcome> sweep, BudgetedBatch.Outcome chosen, String choice, ExitThresholds thresholds) {}

    /** The deepest exit within each budget, on {@code test}, run by DJL. */
    public static AnytimeProtocol anytime(AnytimeModel model, ImageSet test) {
        return anytime(model, test, InferenceEngine.DJL);
    }

    /** The deepest exit within each budget, on {@code test}, run by {@code engine}. */
    public static AnytimeProtocol anytime(AnytimeModel model, ImageSet test, InferenceEngine engine) {
        ExitOutputs outputs = ExitOutputs.compute(model, test, engine, BATCH);
        long[] costs = cumulativeMacs(model.network());
        double[] accuracy = outputs.accuracies();
        return new AnytimeProtocol(costs, accuracy, AnytimeCurve.of(costs, accuracy, AnytimeCurve.defaultBudgets(costs)));
    }

    /**
     * Calibrates thresholds on {@code validation} for every q of the default grid, evaluates them on
     * {@code test}, and picks the thresholds to store, judging on the validation set: the most accurate
     * within {@code targetMacs} average MACs when given, else the cheapest within 0.3 points of the
     * final exit's accuracy.
     */
    public static BudgetedProtocol budgeted(AnytimeModel model, ImageSet validation, ImageSet test,
            ConfidenceScore score, Double targetMacs) {
        return budgeted(model, validation, test, score, targetMacs, InferenceEngine.DJL);
    }

    /** {@link #budgeted(AnytimeModel, ImageSet, ImageSet, ConfidenceScore, Double)}, run by {@code engine}. */
    public static BudgetedProtocol budgeted(AnytimeModel model, ImageSet validation, ImageSet test,
            ConfidenceScore score, Double targetMacs, InferenceEngine engine) {
        if (validation.size() == 0) {
            throw new IllegalArgumentException("there is no validation split to calibrate thresholds on");
        }
        AnytimeNetwork net = model.network();
        ExitOutputs validationOutputs = ExitOutputs.compute(model, validation, engine, BATCH);
        ExitOutputs testOutputs = ExitOutputs.compute(model, test, engine, BATCH);
        long[] costs = cumulativeMacs(net);
        double[][] valScores = validationOutputs.scores(score);
        List<BudgetedBatch.Outcome> sweep = BudgetedBatch.sweep(valScores, testOutputs.scores(score),
                testOutputs.predictions(), testOutputs.labels(), costs, BudgetedBatch.defaultQs(), score);
        double[] accuracy = testOutputs.accuracies();
        // the operating point is chosen on validation data too, so the test figures stay unbiased
        List<BudgetedBatch.Outcome> onValidation = BudgetedBatch.sweep(valScores, valScores,
                validationOutputs.predictions(), validationOutputs.labels(), costs, BudgetedBatch.defaultQs(), score);
        BudgetedBatch.Outcome pick;
        String choice;
        if (targetMacs != null) {
            pick = BudgetedBatch.forTargetMacs(onValidation, targetMacs).orElseThrow(() ->
                    new IllegalArgumentException("no threshold setting reaches an average of " + Math.round(targetMacs)
                            + " MACs; the cheapest needs " + Math.round(cheapest(onValidation).averageMacs())));
            choice = "most accurate on validation within an average of " + Math.round(targetMacs)
                    + " MACs (--target-macs)";
        } else {
            double[] valAccuracy = validationOutputs.accuracies();
            double floor = valAccuracy[valAccuracy.length - 1] - DEFAULT_ACCURACY_TOLERANCE;
            pick = onValidation.stream().filter(o -> o.accuracy() >= floor)
                    .min(Comparator.comparingDouble(BudgetedBatch.Outcome::averageMacs))
                    .orElseGet(() -> onValidation.stream()
                            .max(Comparator.comparingDouble(BudgetedBatch.Outcome::accuracy)).orElseThrow());
            choice = "cheapest on validation within 0.3 points of the final exit's validation accuracy";
        }
        BudgetedBatch.Outcome chosen = sweep.get(onValidation.indexOf(pick));
        ExitThresholds thresholds = BudgetedBatch.calibrate(valScores, chosen.q(), score);
        return new BudgetedProtocol(score, costs, accuracy, sweep, chosen, choice, thresholds);
    }

    private static BudgetedBatch.Outcome cheapest(List<BudgetedBatch.Outcome> sweep) {
        return sweep.stream().min(Comparator.comparingDouble(BudgetedBatch.Outcome::averageMacs)).orElseThrow();
    }

    private static long[] cumulativeMacs(AnytimeNetwork net) {
        return net.exitCosts().stream().mapToLong(ExitCost::cumulativeMacs).toArray();
    }
}
