import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.engine.NativeMemory;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Runs the project's real training loop (the demo model's recipe as in PerfBench's train measure, on
 * synthetic images) and reports, over the steps after a warm-up, the median step time and the minor
 * page faults per step. Optionally records the engine's own profiler (libtorch's autograd profiler, a
 * Chrome trace) over those steps; note that the profiler's own allocations inflate the op times, so read
 * a trace for op counts, shapes and shares, not for absolute times.
 *
 * <p>Usage: java ... ProfileStep C WARM_STEPS MEASURED_STEPS [TRACE_FILE [record-shapes]]
 * (bench/profile runs it; -Danytimenn.retainNativeMemory=false turns engine.NativeMemory off; the
 * output says whether it was in effect).
 */
public final class ProfileStep {

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: ProfileStep C WARM_STEPS MEASURED_STEPS [TRACE_FILE [record-shapes]]");
        }
        int c = Integer.parseInt(args[0]);
        int warm = Integer.parseInt(args[1]);
        int measured = Integer.parseInt(args[2]);
        String trace = args.length > 3 ? args[3] : null;
        boolean shapes = args.length > 4 && args[4].equals("record-shapes");
        int batch = 128;
        int steps = warm + measured;
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
                        if (trace != null) {
                            JniUtils.startProfile(false, shapes, false);
                        }
                    } else if (step == steps) {
                        faults[1] = minorFaults();
                        if (trace != null) {
                            JniUtils.stopProfile(trace);
                        }
                    }
                }

                @Override
                public void epochFinished(EpochSummary summary) {}
            };
            try (AnytimeTrainer trainer = new AnytimeTrainer(net, manager, trainConfig, weighting, listener, null)) {
                trainer.fit(new TrainingData(data, data.slice(0, 0), Normalization.fit(data)));
            }
        }
        double[] stepMs = new double[measured];
        for (int i = 0; i < measured; i++) {
            stepMs[i] = (stamps[warm + i + 1] - stamps[warm + i]) / 1e6;
        }
        double[] sorted = stepMs.clone();
        Arrays.sort(sorted);
        double median = measured % 2 == 1 ? sorted[measured / 2]
                : (sorted[measured / 2 - 1] + sorted[measured / 2]) / 2;
        System.out.printf(Locale.ROOT, "{\"side\":\"java\",\"c\":%d,\"batch\":%d,\"retainNativeMemory\":%s,"
                + "\"measuredSteps\":%d,\"medianStepMs\":%.3f,\"minorFaultsPerStep\":%d,\"stepMs\":[%s]}%n",
                c, batch, NativeMemory.retainFreedMemory(), measured, median,
                (faults[1] - faults[0]) / measured,
                Arrays.stream(stepMs).mapToObj(v -> String.format(Locale.ROOT, "%.1f", v))
                        .collect(Collectors.joining(",")));
    }

    /** This process's minor page faults so far (field 10 of /proc/self/stat), or -1 where there is none. */
    static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (IOException | RuntimeException e) {
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
