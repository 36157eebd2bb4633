import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.anytimenn.data.DataConfig;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.eval.BudgetedBatch;
import dev.anytimenn.eval.EvaluationProtocols;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.AnytimePredictor;
import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.infer.Prediction;
import dev.anytimenn.infer.StoppingRule;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.train.RunFolder;
import dev.anytimenn.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Anytime inference figures of a trained run: batch-1 latency per exit and of the whole network,
 * deadline adherence, and the MACs budgeted-batch thresholds save at the final exit's accuracy.
 * Arguments: RUN_DIR runs output.json
 */
public class InferenceBench {

    public static void main(String[] args) throws Exception {
        Path runDir = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        RunFolder folder = RunFolder.of(runDir);
        ImageSet test = folder.readConfig().data().loadTest();
        int size = test.channels() * test.height() * test.width();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("run", runDir.toString());
        result.put("runs", runs);
        result.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads"));
        try (AnytimePredictor predictor = AnytimePredictor.open(runDir, Device.cpu())) {
            predictor.warmUp(200);
            List<ExitCost> exits = predictor.exitCosts();
            List<Map<String, Object>> perExit = new ArrayList<>();
            for (ExitCost exit : exits) {
                double[] ms = new double[runs];
                for (int i = 0; i < runs; i++) {
                    ms[i] = predictor.predict(image(test, i, size), new StoppingRule.CostBudget(exit.cumulativeMacs()))
                            .elapsedMs();
                }
                perExit.add(Map.of("exit", exit.index(), "cumulativeMacs", exit.cumulativeMacs(),
                        "p50Ms", round(percentile(ms, 50)), "p99Ms", round(percentile(ms, 99))));
                System.out.printf("exit %d (%.2f MMACs): p50 %.3f ms, p99 %.3f ms%n", exit.index(),
                        exit.cumulativeMacs() / 1e6, percentile(ms, 50), percentile(ms, 99));
            }
            result.put("exitLatency", perExit);
            result.put("wholeNetwork", wholeNetwork(predictor, test, size, runs));

            List<Map<String, Object>> deadlines = new ArrayList<>();
            for (double deadline : new double[] {0.5, 1, 2, 5}) {
                int onTime = 0;
                int answered = 0;
                double exitSum = 0;
                double[] overshoot = new double[runs];
                for (int i = 0; i < runs; i++) {
                    Prediction p = predictor.predict(image(test, i, size), StoppingRule.Deadline.ofMillis(deadline));
                    overshoot[i] = Math.max(0, p.elapsedMs() - deadline);
                    onTime += p.elapsedMs() <= deadline ? 1 : 0;
                    answered += p.answered() ? 1 : 0;
                    exitSum += p.exit();
                }
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("deadlineMs", deadline);
                d.put("fractionByDeadline", (double) onTime / runs);
                d.put("fractionAnswered", (double) answered / runs);
                d.put("p99OvershootMs", round(percentile(overshoot, 99)));
                d.put("meanExit", round(exitSum / runs));
                deadlines.add(d);
                System.out.printf("deadline %.1f ms: %.1f %% by the deadline, %.1f %% answered, p99 overshoot %.3f ms, "
                        + "mean exit %.2f%n", deadline, 100.0 * onTime / runs, 100.0 * answered / runs,
                        percentile(overshoot, 99), exitSum / runs);
            }
            result.put("deadlines", deadlines);
        }
        EvaluationProtocols.BudgetedProtocol budgeted;
        try (AnytimeModel model = AnytimeModel.open(runDir, Device.cpu())) {
            budgeted = EvaluationProtocols.budgeted(model, TrainingRun.trainingData(folder.readConfig()).validation(),
                    test, ConfidenceScore.MAX_SOFTMAX, null);
        }
        double finalAccuracy = budgeted.exitAccuracy()[budgeted.exitAccuracy().length - 1];
        long finalMacs = budgeted.cumulativeMacs()[budgeted.cumulativeMacs().length - 1];
        BudgetedBatch.Outcome chosen = budgeted.chosen();
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("finalExitAccuracy", finalAccuracy);
        b.put("finalExitMacs", finalMacs);
        b.put("chosenQ", chosen.q());
        b.put("chosenAccuracy", chosen.accuracy());
        b.put("chosenAverageMacs", round(chosen.averageMacs()));
        b.put("macsSavedPercent", round(100 * (1 - chosen.averageMacs() / finalMacs)));
        b.put("accuracyDropPoints", round(100 * (finalAccuracy - chosen.accuracy())));
        result.put("budgetedBatch", b);
        System.out.printf("budgeted batch (max-softmax): final exit %.2f %% at %.3f MMACs; thresholds q = %.3f give "
                + "%.2f %% at %.3f MMACs on average: %.1f %% fewer MACs%n", 100 * finalAccuracy, finalMacs / 1e6,
                chosen.q(), 100 * chosen.accuracy(), chosen.averageMacs() / 1e6,
                100 * (1 - chosen.averageMacs() / finalMacs));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Jsons.MAPPER.writeValueAsString(result) + "\n");
    }

    /** Batch-1 latency of one ordinary forward of the whole network (all heads, no stepping). */
    private static Map<String, Object> wholeNetwork(AnytimePredictor predictor, ImageSet test, int size, int runs) {
        float[][] lookup = predictor.normalization().lookupTables();
        int plane = predictor.inputShape().height() * predictor.inputShape().width();
        double[] ms = new double[runs];
        NDManager manager = NDManager.newBaseManager();
        try (manager) {
            ParameterStore ps = new ParameterStore(manager, false);
            for (int i = -200; i < runs; i++) {
                byte[] pixels = image(test, Math.max(i, 0), size);
                float[] input = new float[size];
                for (int p = 0; p < size; p++) {
                    input[p] = lookup[p / plane][pixels[p] & 0xff];
                }
                long start = System.nanoTime();
                try (NDManager scope = manager.newSubManager()) {
                    NDList logits = predictor.network().forward(ps,
                            new NDList(scope.create(input, predictor.inputShape().batchShape(1))), false);
                    logits.get(logits.size() - 1).softmax(1).toFloatArray();
                }
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        System.out.printf("whole network, one forward: p50 %.3f ms, p99 %.3f ms%n", percentile(ms, 50),
                percentile(ms, 99));
        return Map.of("p50Ms", round(percentile(ms, 50)), "p99Ms", round(percentile(ms, 99)));
    }

    private static byte[] image(ImageSet set, int i, int size) {
        int j = i % set.size();
        return Arrays.copyOfRange(set.pixels(), j * size, (j + 1) * size);
    }

    private static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
