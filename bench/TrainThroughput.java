import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.anytimenn.data.FashionMnist;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.eval.report.EpochSummary;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.train.AnytimeTrainer;
import dev.anytimenn.train.TrainConfig;
import dev.anytimenn.train.TrainingData;
import dev.anytimenn.train.TrainingListener;
import dev.anytimenn.weighting.LossWeightings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training throughput of the demo model through the real training loop (data pipeline, augmentation,
 * AdaLoss, optimiser): images/s and achieved GFLOP/s, counting 3 x forward MACs x 2 FLOPs per image.
 * Arguments: n c s batch images epochs crop-padding output.json
 */
public class TrainThroughput {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]), c = Integer.parseInt(args[1]), s = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]), images = Integer.parseInt(args[4]), epochs = Integer.parseInt(args[5]);
        int padding = Integer.parseInt(args[6]);
        Path out = Path.of(args[7]);
        ImageSet train = FashionMnist.train(FashionMnist.DEFAULT_DIR).slice(0, images);
        TrainConfig config = new TrainConfig(epochs, batch, 0.1, 0.9, false, 1e-4, "cosine", 0, 1, 0, 0, padding, false,
                "adaloss");
        ModelConfig model = new ModelConfig("resann", n, c, s, 10, new InputShape(1, 28, 28));
        Engine.getInstance().setRandomSeed(1);
        List<EpochSummary> epochsSeen = new ArrayList<>();
        long macs;
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = Architectures.buildInitialized(model, manager);
            macs = net.exitCosts().get(net.headCount() - 1).cumulativeMacs();
            var weighting = LossWeightings.create("adaloss", net.headCount(), 1);
            TrainingListener listener = new TrainingListener() {
                @Override
                public void epochFinished(EpochSummary summary) {
                    epochsSeen.add(summary);
                    System.out.printf("epoch %d: %.1f images/s%n", summary.epoch(), summary.imagesPerSecond());
                }
            };
            try (AnytimeTrainer trainer = new AnytimeTrainer(net, manager, config, weighting, listener, null)) {
                trainer.fit(new TrainingData(train, train.slice(0, 0), Normalization.fit(train)));
            }
        }
        // the first epoch includes the engine's warm-up; report the best of the rest
        double best = epochsSeen.stream().skip(1).mapToDouble(EpochSummary::imagesPerSecond).max().orElseThrow();
        double gflops = best * 6.0 * macs / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model", model);
        result.put("batchSize", batch);
        result.put("cropPadding", padding);
        result.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads"));
        result.put("forwardMacsPerImage", macs);
        result.put("imagesPerSecond", Math.round(best * 10) / 10.0);
        result.put("achievedGflops", Math.round(gflops * 10) / 10.0);
        result.put("epochImagesPerSecond", epochsSeen.stream().map(EpochSummary::imagesPerSecond)
                .map(v -> Math.round(v * 10) / 10.0).toList());
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Jsons.MAPPER.writeValueAsString(result) + "\n");
        System.out.printf("n=%d c=%d s=%d batch %d crop padding %d: %.1f images/s, %.2f MMACs forward, "
                + "%.1f GFLOP/s achieved%n", n, c, s, batch, padding, best, macs / 1e6, gflops);
    }
}
