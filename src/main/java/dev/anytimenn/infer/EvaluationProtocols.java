package dev.anytimenn.infer;

import ai.djl.Device;
import dev.anytimenn.data.DataConfig;
import dev.anytimenn.data.DataFormatException;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.MissingDataException;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.train.RunConfig;
import dev.anytimenn.train.RunFolder;
import dev.anytimenn.train.TrainedModel;
import dev.anytimenn.train.TrainingData;
import dev.anytimenn.train.TrainingRun;
import java.io.IOException;
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

    public static AnytimeProtocol anytime(RunFolder folder, DataConfig dataOverride, Device device)
            throws IOException, MissingDataException, DataFormatException {
        try (TrainedModel model = TrainedModel.open(folder, device)) {
            ImageSet test = (dataOverride == null ? model.config().data() : dataOverride).loadTest();
            ExitOutputs outputs = ExitOutputs.compute(model.network(), model.manager(), test,
                    model.state().normalization(), BATCH);
            long[] costs = cumulativeMacs(model.network());
            double[] accuracy = outputs.accuracies();
            return new AnytimeProtocol(costs, accuracy,
                    AnytimeCurve.of(costs, accuracy, AnytimeCurve.defaultBudgets(costs)));
        }
    }

    /**
     * Calibrates thresholds on the run's validation split for every q of the default grid, evaluates
     * them on the test set, and picks the thresholds to store, judging on the validation split: the
     * most accurate within {@code targetMacs} average MACs when given, else the cheapest within 0.3
     * points of the final exit's accuracy.
     */
    public static BudgetedProtocol budgeted(RunFolder folder, DataConfig dataOverride, Device device,
            ConfidenceScore score, Double targetMacs) throws IOException, MissingDataException, DataFormatException {
        RunConfig config = folder.readConfig();
        if (config.training().valSize() == 0) {
            throw new IllegalArgumentException(folder.dir() + ": the run has no validation split (--val-size 0), "
                    + "so there is nothing to calibrate thresholds on");
        }
        RunConfig dataConfig = dataOverride == null ? config
                : new RunConfig(config.name(), config.model(), config.training(), dataOverride);
        TrainingData data = TrainingRun.trainingData(dataConfig);
        ImageSet test = dataConfig.data().loadTest();
        try (TrainedModel model = TrainedModel.open(folder, device)) {
            AnytimeNetwork net = model.network();
            ExitOutputs validation = ExitOutputs.compute(net, model.manager(), data.validation(),
                    model.state().normalization(), BATCH);
            ExitOutputs testOutputs = ExitOutputs.compute(net, model.manager(), test, model.state().normalization(),
                    BATCH);
            long[] costs = cumulativeMacs(net);
            double[][] valScores = validation.scores(score);
            List<BudgetedBatch.Outcome> sweep = BudgetedBatch.sweep(valScores, testOutputs.scores(score),
                    testOutputs.predictions(), testOutputs.labels(), costs, BudgetedBatch.defaultQs(), score);
            double[] accuracy = testOutputs.accuracies();
            // the operating point is chosen on validation data too, so the test figures stay unbiased
            List<BudgetedBatch.Outcome> onValidation = BudgetedBatch.sweep(valScores, valScores,
                    validation.predictions(), validation.labels(), costs, BudgetedBatch.defaultQs(), score);
            BudgetedBatch.Outcome pick;
            String choice;
            if (targetMacs != null) {
                pick = BudgetedBatch.forTargetMacs(onValidation, targetMacs).orElseThrow(() ->
                        new IllegalArgumentException("no threshold setting reaches an average of " + Math.round(targetMacs)
                                + " MACs; the cheapest needs " + Math.round(cheapest(onValidation).averageMacs())));
                choice = "most accurate on validation within an average of " + Math.round(targetMacs)
                        + " MACs (--target-macs)";
            } else {
                double[] valAccuracy = validation.accuracies();
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
    }

    private static BudgetedBatch.Outcome cheapest(List<BudgetedBatch.Outcome> sweep) {
        return sweep.stream().min(Comparator.comparingDouble(BudgetedBatch.Outcome::averageMacs)).orElseThrow();
    }

    private static long[] cumulativeMacs(AnytimeNetwork net) {
        return net.exitCosts().stream().mapToLong(ExitCost::cumulativeMacs).toArray();
    }
}
