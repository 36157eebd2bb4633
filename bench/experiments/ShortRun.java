import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.anytimenn.data.Batch;
import dev.anytimenn.data.BatchLoader;
import dev.anytimenn.data.FashionMnist;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.eval.ExitEvaluator;
import dev.anytimenn.eval.ExitMetrics;
import dev.anytimenn.eval.Losses;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.train.AnytimeTrainer;
import dev.anytimenn.train.TrainConfig;
import dev.anytimenn.train.TrainingData;
import dev.anytimenn.train.TrainingListener;
import dev.anytimenn.weighting.LossWeightings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Why does a 31-step run (`train --epochs 1 --train-limit 4000`) stay near chance? Trains the default
 * model on the first N Fashion-MNIST training images once per variant and prints the weighted loss
 * every few steps and the test accuracy of every exit, both with the running BatchNorm statistics
 * (what eval does) and with the test batch's own statistics (to tell bad weights from stale BN stats).
 * Arguments: images epochs variant... where a variant is lr:warmupEpochs:weighting[:seed], e.g. 0.1:0:adaloss.
 */
public class ShortRun {
    public static void main(String[] args) throws Exception {
        int images = Integer.parseInt(args[0]);
        int epochs = Integer.parseInt(args[1]);
        ImageSet all = FashionMnist.train(FashionMnist.DEFAULT_DIR);
        ImageSet train = all.slice(0, images);
        ImageSet test = FashionMnist.test(FashionMnist.DEFAULT_DIR);
        Normalization norm = Normalization.fit(train);
        ModelConfig model = new ModelConfig("resann", 2, 16, 1, 10, new InputShape(1, 28, 28));
        for (int a = 2; a < args.length; a++) {
            String[] v = args[a].split(":");
            double lr = Double.parseDouble(v[0]);
            double warmup = Double.parseDouble(v[1]);
            String weighting = v[2];
            long seed = v.length > 3 ? Long.parseLong(v[3]) : 42;
            TrainConfig config = new TrainConfig(epochs, 128, lr, 0.9, false, 1e-4, "cosine", warmup, seed, 0, 0, 2,
                    false, weighting);
            Engine.getInstance().setRandomSeed((int) seed);
            List<String> losses = new ArrayList<>();
            try (NDManager manager = NDManager.newBaseManager()) {
                AnytimeNetwork net = Architectures.buildInitialized(model, manager);
                var w = LossWeightings.create(weighting, net.headCount(), seed);
                TrainingListener listener = new TrainingListener() {
                    @Override
                    public void stepFinished(int epoch, int step, double loss, double ips) {
                        losses.add(String.format(Locale.ROOT, "%.2f", loss));
                    }
                };
                try (AnytimeTrainer trainer = new AnytimeTrainer(net, manager, config, w, listener, null)) {
                    trainer.fit(new TrainingData(train, train.slice(0, 0), norm));
                }
                ExitMetrics running = ExitEvaluator.evaluate(net, manager, test, norm, 256);
                double[] batchStats = batchStatAccuracy(net, manager, test, norm);
                System.out.printf(Locale.ROOT, "%s (seed %d, %d images, %d epochs)%n", args[a], seed, images, epochs);
                System.out.println("  weighted loss per step: " + String.join(" ", losses));
                System.out.println("  test accuracy per exit, running BN stats: " + pct(running.accuracy()));
                System.out.println("  test accuracy per exit, batch BN stats:   " + pct(batchStats));
            }
        }
    }

    /** Accuracy with BatchNorm in training mode (each test batch of 256 normalised by its own statistics). */
    private static double[] batchStatAccuracy(AnytimeNetwork net, NDManager manager, ImageSet set, Normalization norm) {
        long[] correct = new long[net.headCount()];
        ParameterStore ps = new ParameterStore(manager, false);
        try (BatchLoader loader = BatchLoader.forEvaluation(set, norm, 256)) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.create(batch.images(), net.config().input().batchShape(batch.size()));
                    NDArray y = Losses.labels(scope, batch.labels());
                    NDList logits = net.forward(ps, new NDList(x), true);
                    for (int i = 0; i < correct.length; i++) {
                        correct[i] += logits.get(i).argMax(1).eq(y).sum().getLong();
                    }
                }
            }
        }
        double[] acc = new double[correct.length];
        for (int i = 0; i < acc.length; i++) {
            acc[i] = (double) correct[i] / set.size();
        }
        return acc;
    }

    private static String pct(double[] values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            b.append(String.format(Locale.ROOT, "%6.2f%%", 100 * v));
        }
        return b.toString();
    }
}
