import ai.djl.Device;
import dev.anytimenn.data.FashionMnist;
import dev.anytimenn.data.IdxImageSets;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.Split;
import dev.anytimenn.eval.BudgetedBatch;
import dev.anytimenn.eval.EvaluationProtocols;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.AnytimePredictor;
import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.infer.Prediction;
import dev.anytimenn.infer.StoppingRule;
import dev.anytimenn.io.Jsons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The single-process side of bench/spark-predict, on the first N Fashion-MNIST training images: the
 * budgeted-batch protocol (thresholds calibrated on the last 5000 training images, as the Spark job is asked
 * to) and the predictor's throughput with those thresholds, from opening the model to the last answer, in
 * batches of 256 (after the protocol, so the engine guard's once-per-process checks are not in it: in the Spark
 * runs the driver's calibration has made them too). Writes the N images as IDX for the Spark runs when N < 60000.
 * Arguments: MODEL N SUBSET_DIR OUT_JSON (engine threads: -Dai.djl.pytorch.num_threads)
 */
public class SparkPredictBench {

    public static void main(String[] args) throws Exception {
        Path modelPath = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        Path subsetDir = Path.of(args[2]);
        Path out = Path.of(args[3]);
        ImageSet train = FashionMnist.train(FashionMnist.DEFAULT_DIR);
        ImageSet validation = Split.holdOutLast(train, 5000).validation();
        ImageSet input = train.slice(0, n);
        Path subset = subsetDir.resolve("train-" + n + "-images-idx3-ubyte.gz");
        if (n < train.size() && !Files.exists(subset)) {
            Files.createDirectories(subsetDir);
            IdxImageSets.save(input, subset, subsetDir.resolve("train-" + n + "-labels-idx1-ubyte.gz"), true);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("images", n);
        result.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads"));

        // the protocol first: its thresholds are the ones the predictor runs with
        EvaluationProtocols.BudgetedProtocol protocol;
        try (AnytimeModel model = AnytimeModel.open(modelPath, Device.cpu())) {
            protocol = EvaluationProtocols.budgeted(model, validation, input, ConfidenceScore.MAX_SOFTMAX, null);
        }
        BudgetedBatch.Outcome chosen = protocol.chosen();
        result.put("protocolAccuracy", chosen.accuracy());
        result.put("protocolMeanMacs", chosen.averageMacs());
        result.put("protocolExitFractions", chosen.exitFractions());
        result.put("thresholds", protocol.thresholds().thresholds());

        StoppingRule rule = new StoppingRule.Confidence(protocol.thresholds());
        long start = System.nanoTime();
        List<Prediction> answers = new ArrayList<>(n);
        try (AnytimePredictor predictor = AnytimePredictor.open(modelPath, Device.cpu())) {
            int size = input.imageSize();
            for (int from = 0; from < n; from += 256) {
                List<byte[]> batch = new ArrayList<>();
                for (int i = from; i < Math.min(n, from + 256); i++) {
                    batch.add(Arrays.copyOfRange(input.pixels(), i * size, (i + 1) * size));
                }
                answers.addAll(predictor.predictBatch(batch, rule));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long correct = 0;
        double macs = 0;
        for (int i = 0; i < n; i++) {
            correct += answers.get(i).label() == input.labels()[i] ? 1 : 0;
            macs += answers.get(i).macs();
        }
        result.put("predictorSeconds", seconds);
        result.put("predictorImagesPerSecond", n / seconds);
        result.put("predictorAccuracy", (double) correct / n);
        result.put("predictorMeanMacs", macs / n);
        Files.writeString(out, Jsons.MAPPER.writeValueAsString(result) + "\n");
    }
}
