import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.eval.report.EpochSummary;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.train.AnytimeTrainer;
import dev.anytimenn.train.TrainConfig;
import dev.anytimenn.train.TrainingData;
import dev.anytimenn.train.TrainingListener;
import dev.anytimenn.weighting.AdaLossOptions;
import dev.anytimenn.weighting.LossWeighting;
import dev.anytimenn.weighting.LossWeightings;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Records the engine's own profiler (libtorch's autograd profiler, as a Chrome trace) over a few steps
 * of the project's real training loop, so that time can be split by op and compared with the peer's
 * trace of the same steps (bench/profile aggregates both).
 *
 * <p>Usage: java ... bench/ProfileStep.java C WARM_STEPS PROFILED_STEPS TRACE_FILE
 */
public final class ProfileStep {

    public static void main(String[] args) throws Exception {
        int c = Integer.parseInt(args[0]);
        int warm = Integer.parseInt(args[1]);
        int profiled = Integer.parseInt(args[2]);
        String trace = args[3];
        int batch = 128;
        int steps = warm + profiled;
        ImageSet data = synthetic(steps * batch, 7L + c);
        ModelConfig config = new ModelConfig("resann", 2, c, 1, 10, new InputShape(1, 28, 28));
        TrainConfig trainConfig = new TrainConfig(1, batch, 0.1, 0.9, false, 1e-4, "cosine", 0, 1, 0, 0, 0, false,
                "const", AdaLossOptions.DEFAULTS);
        long[] stamps = new long[steps + 1];
        long[] faults = new long[2];
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = Architectures.buildInitialized(config, manager);
            LossWeighting weighting = LossWeightings.create("const", net.headCount(), AdaLossOptions.DEFAULTS, 1);
            TrainingListener listener = new TrainingListener() {
                @Override
                public void epochStarted(int epoch, int epochs, int stepsInEpoch) {
                    stamps[0] = System.nanoTime();
                }

                @Override
                public void stepFinished(int epoch, int step, double loss, double imagesPerSecond) {
                    stamps[step] = System.nanoTime();
                    if (step == warm) {
                        faults[0] = minorFaults();
                    } else if (step == steps) {
                        faults[1] = minorFaults();
                    }
                    if (trace.equals("-")) {
                        return;
                    }
                    if (step == warm) {
                        JniUtils.startProfile(false, Boolean.getBoolean("shapes"), false);
                    } else if (step == steps) {
                        JniUtils.stopProfile(trace);
                    }
                }

                @Override
                public void epochFinished(EpochSummary summary) {}
            };
            try (AnytimeTrainer trainer = new AnytimeTrainer(net, manager, trainConfig, weighting, listener, null)) {
                trainer.fit(new TrainingData(data, data.slice(0, 0), Normalization.fit(data)));
            }
        }
        double ms = (stamps[steps] - stamps[warm]) / 1e6 / profiled;
        StringBuilder each = new StringBuilder();
        for (int i = 1; i <= steps; i++) {
            each.append(String.format(Locale.ROOT, " %.0f", (stamps[i] - stamps[i - 1]) / 1e6));
        }
        System.err.println("step ms:" + each);
        double[] measured = new double[profiled];
        for (int i = 0; i < profiled; i++) {
            measured[i] = (stamps[warm + i + 1] - stamps[warm + i]) / 1e6;
        }
        java.util.Arrays.sort(measured);
        System.err.printf(Locale.ROOT, "median step %.1f ms, %d minor faults/step%n", measured[profiled / 2],
                (faults[1] - faults[0]) / profiled);
        System.out.printf(Locale.ROOT, "{\"side\":\"java\",\"c\":%d,\"profiledSteps\":%d,\"wallMsPerStep\":%.3f}%n",
                c, profiled, ms);
    }

    static long minorFaults() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    static ImageSet synthetic(int images, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[images * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        int[] labels = new int[images];
        for (int i = 0; i < images; i++) {
            labels[i] = random.nextInt(10);
        }
        return new ImageSet(pixels, labels, 1, 28, 28, 10);
    }
}
