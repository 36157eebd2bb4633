import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.anytimenn.weighting.LossWeighting;
import dev.anytimenn.weighting.LossWeightings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Performance figures of the Java side for {@code bench/perf}; the PyTorch peer
 * ({@code bench/peer/resann_peer.py}) prints the same measurements with the same keys.
 *
 * <pre>
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
 *   -cp "core/target/anytime-nn.jar:core/target/lib/*" bench/PerfBench.java [options] MEASURE...
 *
 * MEASURE: gemm | floor | train | infer | overhead | all (= all five)
 * options: --quick            fewer repeats (same figures)
 *          --widths 8,16,32   widths c for floor and train (default 16)
 *          --batch 128        training / kernel-floor batch
 *          --infer-c 16       width of the network the inference figures use
 *          --round R          copied into the output, for the driver's bookkeeping
 * </pre>
 *
 * <p>One JSON object per measurement (and per width) goes to stdout, one line each; progress goes to
 * stderr. Every timing is a median over repeats after warm-up. The model is always ResANN n=2, s=1 on
 * 1x28x28 inputs with 10 classes (the demo), built by the project's {@link Architectures}.
 *
 * <ul>
 *   <li>{@code gemm}: float32 2048x2048 @ 2048x2048 through the engine; GFLOP/s = 2 n^3 / median time.
 *   <li>{@code floor}: the kernel floor of a training step, see {@link #floor}.
 *   <li>{@code train}: the project's real training loop ({@link AnytimeTrainer#fit}) on synthetic data;
 *       images/s = batch / median step time, achieved GFLOP/s = images/s x 6 x forward MACs; peak RSS.
 *   <li>{@code infer}: batch-1 latency of one full forward (all heads) and batch-256 throughput.
 *   <li>{@code overhead}: the time of a trivial op (1-element + 1-element) through the engine.
 * </ul>
 *
 * <p>Memory is scoped: every per-iteration array lives in a sub-manager closed after the iteration.
 */
public class PerfBench {

    /** Repeat counts; bench/peer/resann_peer.py uses the same numbers (keep them in step). */
    record Reps(int gemmWarm, int gemmReps, int floorWarm, int floorReps, int trainWarm, int trainSteps,
            int b1Warm, int b1Runs, int b256Warm, int b256Runs, int opWarmChunks, int opChunks, int opsPerChunk) {
        static final Reps FULL = new Reps(3, 10, 3, 15, 10, 40, 200, 1000, 3, 20, 3, 30, 2000);
        static final Reps QUICK = new Reps(2, 5, 2, 5, 5, 15, 50, 300, 2, 8, 2, 10, 1000);
    }

    static final int GEMM_N = 2048;
    static final int N_UNITS_PER_STAGE = 2;
    static final int HEAD_STRIDE = 1;
    static final int CLASSES = 10;
    static final InputShape INPUT = new InputShape(1, 28, 28);
    static final int INFER_BATCH = 256;
    /** Intra-op threads for the batch-1 figures on both sides (bench/peer/resann_peer.py: BATCH1_THREADS). */
    static final int BATCH1_THREADS = 1;

    private static final ObjectMapper JSON = new ObjectMapper(); // compact: one object per line

    private static boolean quick;
    private static int round = 1;
    static int batch = 128; // read by bench/ProfileStep.java
    private static int[] widths = {16};
    private static int inferC = 16;
    private static Reps reps = Reps.FULL;
    private static boolean retainNativeMemory;

    public static void main(String[] args) throws Exception {
        List<String> measures = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--round" -> round = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--infer-c" -> inferC = Integer.parseInt(args[++i]);
                case "--widths" -> widths = Arrays.stream(args[++i].split(",")).map(String::trim)
                        .mapToInt(Integer::parseInt).toArray();
                case "all" -> measures.addAll(List.of("gemm", "floor", "overhead", "infer", "train"));
                case "gemm", "floor", "train", "infer", "overhead" -> measures.add(args[i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; usage: PerfBench [--quick] [--widths 8,16,32] [--batch 128] [--infer-c 16] [--round R]"
                        + " gemm|floor|train|infer|overhead|all ...");
            }
        }
        if (measures.isEmpty()) {
            throw new IllegalArgumentException("name at least one measurement: gemm floor train infer overhead all");
        }
        reps = quick ? Reps.QUICK : Reps.FULL;
        Engine.getInstance(); // load the engine (and apply the thread properties) before any timing
        // as the trainer and predictor do; here also for the floor and the raw forward passes
        retainNativeMemory = NativeMemory.retainFreedMemory();
        JniUtils.setGradMode(false);
        for (String m : measures) {
            switch (m) {
                case "gemm" -> emit(gemm());
                case "floor" -> {
                    for (int c : widths) {
                        emit(floor(c));
                    }
                }
                case "train" -> {
                    for (int c : widths) {
                        emit(train(c));
                    }
                }
                case "infer" -> emit(infer(inferC));
                case "overhead" -> emit(overhead());
                default -> throw new AssertionError(m);
            }
        }
    }

    // ---------------------------------------------------------------------------------------- gemm

    /** float32 GEMM 2048^3 through the engine: the machine's practical arithmetic limit. */
    static Map<String, Object> gemm() {
        double[] seconds = new double[reps.gemmReps()];
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomUniform(-1f, 1f, new Shape(GEMM_N, GEMM_N));
            NDArray b = manager.randomUniform(-1f, 1f, new Shape(GEMM_N, GEMM_N));
            for (int i = -reps.gemmWarm(); i < reps.gemmReps(); i++) {
                try (NDManager it = manager.newSubManager()) {
                    a.tempAttach(it); // the product joins `it` and is freed with it; a returns to `manager`
                    long t0 = System.nanoTime();
                    a.matMul(b); // CPU ops are synchronous: the product is complete on return
                    long t = System.nanoTime() - t0;
                    if (i >= 0) {
                        seconds[i] = t / 1e9;
                    }
                }
            }
        }
        double med = median(seconds);
        double gflops = 2.0 * GEMM_N * GEMM_N * GEMM_N / med / 1e9;
        Map<String, Object> r = header("gemm");
        r.put("n", GEMM_N);
        r.put("repeats", seconds.length);
        r.put("medianMs", round3(med * 1e3));
        r.put("gflops", round1(gflops));
        r.put("bestGflops", round1(2.0 * GEMM_N * GEMM_N * GEMM_N / min(seconds) / 1e9));
        System.err.printf(Locale.ROOT, "[java] gemm %d^3: median %.1f ms, %.1f GFLOP/s%n", GEMM_N, med * 1e3, gflops);
        return r;
    }

    // --------------------------------------------------------------------------------------- floor

    /** One convolution, batch-norm or linear layer of the real network, with its input shape (batch 1). */
    record Layer(String name, String kind, Shape input, boolean inputGrad, Shape weight, Shape stride, Shape padding,
            Shape dilation, int groups, boolean bias) {}

    /**
     * The kernel floor: the forward+backward time of ONLY the model's convolution, batch-norm and linear
     * ops, on the exact shapes of the demo model's layers at the training batch.
     *
     * <p>The layers are read off the network {@link Architectures} builds (stem conv, 2 BN + 2 conv per
     * unit, BN + linear per head), with their strides, paddings and parameter shapes. Each layer is timed
     * on its own and the per-layer medians are summed. One timed repeat of a layer is: open a gradient
     * collector (grad mode on), call the op straight through {@code JniUtils} (no Block, no
     * ParameterStore, no NDList), then {@code JniUtils.backward} from a ready-made all-ones output
     * gradient. The backward computes what the real step needs: weight (and bias / gamma / beta)
     * gradients, accumulated into zeroed gradient buffers as in {@code SgdOptimizer}, and the input
     * gradient for every layer but the stem (the image needs none). The layer input is a fresh leaf copy
     * each repeat (copied before the clock starts) so its gradient is written, not accumulated. BN runs in
     * training mode (batch statistics, running-stat update, momentum 0.1 in PyTorch's convention, eps 1e-5).
     *
     * <p>Included: the kernels of those three op types and their autograd nodes, plus one JNI call and
     * Java wrapper per op. Not included: ReLU, pooling, the shortcut's pool/zero-pad/concat/add, the
     * cross-entropy losses, the SGD update, zeroing gradients, the data pipeline, the Block / ParameterStore
     * machinery. Summing isolated layers also loses cache reuse between consecutive layers, so the floor
     * is a lower bound on arithmetic-bound work, not on everything a step must do.
     */
    static Map<String, Object> floor(int c) {
        ModelConfig config = demoConfig(c);
        List<Layer> layers = new ArrayList<>();
        long macs;
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            AnytimeNetwork net = Architectures.buildInitialized(config, manager);
            macs = forwardMacs(net);
            collectLayers(net, "", layers);
            if (!layers.isEmpty() && layers.get(0).kind().equals("conv")) {
                Layer stem = layers.get(0); // the stem conv reads the image, which needs no gradient
                layers.set(0, new Layer(stem.name(), stem.kind(), stem.input(), false, stem.weight(), stem.stride(),
                        stem.padding(), stem.dilation(), stem.groups(), stem.bias()));
            }
            Map<String, Double> byKind = new LinkedHashMap<>();
            byKind.put("conv", 0.0);
            byKind.put("bn", 0.0);
            byKind.put("linear", 0.0);
            List<Map<String, Object>> perLayer = new ArrayList<>();
            double totalMs = 0;
            for (Layer layer : layers) {
                double ms = timeLayer(manager, layer);
                totalMs += ms;
                byKind.merge(layer.kind(), ms, Double::sum);
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("name", layer.name());
                l.put("kind", layer.kind());
                l.put("input", withBatch(layer.input(), batch).toString());
                l.put("weight", layer.weight().toString());
                l.put("medianMs", round3(ms));
                perLayer.add(l);
            }
            Map<String, Object> r = header("floor");
            r.put("c", c);
            r.put("batch", batch);
            r.put("layers", layers.size());
            r.put("repeatsPerLayer", reps.floorReps());
            r.put("forwardMacsPerImage", macs);
            r.put("stepMs", round3(totalMs));
            r.put("imagesPerSecondCeiling", round1(batch / (totalMs / 1e3)));
            r.put("gflops", round1(batch / (totalMs / 1e3) * 6.0 * macs / 1e9));
            Map<String, Object> kinds = new LinkedHashMap<>();
            byKind.forEach((k, v) -> kinds.put(k, round3(v)));
            r.put("msByKind", kinds);
            r.put("perLayer", perLayer);
            System.err.printf(Locale.ROOT, "[java] kernel floor c=%d batch %d: %d layers, %.2f ms/step (conv %.2f, "
                    + "bn %.2f, linear %.2f) -> ceiling %.0f images/s%n", c, batch, layers.size(), totalMs,
                    byKind.get("conv"), byKind.get("bn"), byKind.get("linear"), batch / (totalMs / 1e3));
            return r;
        }
    }

    /** Depth-first walk of the built network; keeps conv / BN / linear leaves in forward order per block. */
    static void collectLayers(Block block, String path, List<Layer> out) {
        if (block instanceof Convolution conv) {
            out.add(new Layer(path, "conv", block.getInputShapes()[0], true, param(block, Parameter.Type.WEIGHT),
                    conv.getStride(), conv.getPadding(), conv.getDilation(), conv.getGroups(), conv.isIncludeBias()));
        } else if (block instanceof BatchNorm) {
            out.add(new Layer(path, "bn", block.getInputShapes()[0], true, param(block, Parameter.Type.GAMMA),
                    null, null, null, 1, true));
        } else if (block instanceof Linear) {
            out.add(new Layer(path, "linear", block.getInputShapes()[0], true, param(block, Parameter.Type.WEIGHT),
                    null, null, null, 1, true));
        } else {
            for (Pair<String, Block> child : block.getChildren()) {
                collectLayers(child.getValue(), path.isEmpty() ? child.getKey() : path + "/" + child.getKey(), out);
            }
        }
    }

    static Shape param(Block block, Parameter.Type type) {
        for (Parameter p : block.getDirectParameters().values()) {
            if (p.getType() == type) {
                return p.getArray().getShape();
            }
        }
        throw new IllegalStateException(block + " has no " + type + " parameter");
    }

    /** Median forward+backward milliseconds of one layer at the training batch. */
    static double timeLayer(NDManager parent, Layer layer) {
        return timeLayer(parent, layer, batch, true, reps.floorWarm(), reps.floorReps());
    }

    /**
     * Median milliseconds of one layer at batch n: forward + backward (training: batch statistics, grad
     * mode on) or forward only (inference: running statistics, grad mode off).
     */
    @SuppressWarnings("try") // the collector is opened for its grad mode only
    static double timeLayer(NDManager parent, Layer layer, int n, boolean training, int warm, int repeats) {
        try (NDManager scope = parent.newSubManager()) {
            NDArray base = scope.randomNormal(withBatch(layer.input(), n));
            List<PtNDArray> params = new ArrayList<>();
            UnaryOperator<PtNDArray> op = layerOp(scope, layer, training, params);
            PtNDArray outputGrad;
            try (NDManager probe = scope.newSubManager()) {
                base.tempAttach(probe);
                Shape outShape = op.apply((PtNDArray) base).getShape(); // grad mode off: no graph
                outputGrad = (PtNDArray) scope.ones(outShape);
            }
            double[] ms = new double[repeats];
            for (int i = -warm; i < repeats; i++) {
                try (NDManager it = scope.newSubManager()) {
                    base.tempAttach(it); // the copy and every op output join `it`
                    PtNDArray x = (PtNDArray) base;
                    long t0;
                    if (!training) {
                        t0 = System.nanoTime();
                        op.apply(x); // grad mode is off outside a collector
                    } else {
                        if (layer.inputGrad()) {
                            x = (PtNDArray) base.duplicate();
                            x.setRequiresGradient(true);
                        }
                        t0 = System.nanoTime();
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            PtNDArray y = op.apply(x);
                            JniUtils.backward(y, outputGrad, false, false);
                        }
                    }
                    long t = System.nanoTime() - t0;
                    for (PtNDArray p : params) {
                        JniUtils.zeroGrad(p);
                    }
                    if (i >= 0) {
                        ms[i] = t / 1e6;
                    }
                }
            }
            return median(ms);
        }
    }

    /**
     * The layer's engine call with parameters of its shapes (random weights; BN with fresh running
     * statistics) in scope; trainable ones are marked for gradients and added to params.
     */
    static UnaryOperator<PtNDArray> layerOp(NDManager scope, Layer layer, boolean training, List<PtNDArray> params) {
        switch (layer.kind()) {
            case "conv" -> {
                PtNDArray w = leaf(scope.randomNormal(layer.weight()).muli(0.05f), params);
                PtNDArray bias = layer.bias() ? leaf(scope.zeros(new Shape(layer.weight().get(0))), params) : null;
                return x -> JniUtils.convolution(x, w, bias, layer.stride(), layer.padding(), layer.dilation(),
                        layer.groups());
            }
            case "bn" -> {
                Shape channels = new Shape(layer.input().get(1));
                PtNDArray gamma = leaf(scope.ones(channels), params);
                PtNDArray beta = leaf(scope.zeros(channels), params);
                PtNDArray runningMean = (PtNDArray) scope.zeros(channels);
                PtNDArray runningVar = (PtNDArray) scope.ones(channels);
                // argument order as DJL's PtNDArrayEx.batchNorm passes them; 0.1 = 1 - DJL's momentum 0.9
                return x -> JniUtils.batchNorm(x, runningMean, runningVar, gamma, beta, training, 0.1, 1e-5);
            }
            case "linear" -> {
                PtNDArray w = leaf(scope.randomNormal(layer.weight()).muli(0.05f), params);
                PtNDArray bias = leaf(scope.zeros(new Shape(layer.weight().get(0))), params);
                return x -> JniUtils.linear(x, w, bias);
            }
            default -> throw new AssertionError(layer.kind());
        }
    }

    static PtNDArray leaf(NDArray array, List<PtNDArray> params) {
        array.setRequiresGradient(true);
        params.add((PtNDArray) array);
        return (PtNDArray) array;
    }

    // --------------------------------------------------------------------------------------- train

    /**
     * The project's real training step: {@link AnytimeTrainer#fit} with its background batch loader,
     * per-step sub-manager, joint loss over all heads (here "const": every head weight 1, so the loss is
     * the sum of the per-head cross-entropies, as in the peer), and {@code SgdOptimizer} (momentum 0.9,
     * lr 0.1 cosine, weight decay 1e-4 on conv/linear weights). Input: synthetic random uint8 images and
     * labels, normalised by the loader like real data, no augmentation. The step time is the wall time
     * between consecutive step callbacks (it includes waiting for the loader, which prefetches on its own
     * thread); the first {@code trainWarm} steps are dropped.
     */
    static Map<String, Object> train(int c) throws IOException {
        int steps = reps.trainWarm() + reps.trainSteps();
        long[] stamps = new long[steps + 1];
        double[] losses = new double[steps + 1];
        long[] size = trainDemo(c, steps, (step, loss) -> {
            stamps[step] = System.nanoTime();
            losses[step] = loss;
        });
        long macs = size[0];
        long parameters = size[1];
        double[] stepMs = stepMillis(stamps, reps.trainWarm(), reps.trainSteps());
        double med = median(stepMs);
        double ips = batch / (med / 1e3);
        double meanIps = batch * stepMs.length / (Arrays.stream(stepMs).sum() / 1e3);
        Map<String, Object> r = header("train");
        r.put("c", c);
        r.put("batch", batch);
        r.put("warmupSteps", reps.trainWarm());
        r.put("measuredSteps", reps.trainSteps());
        r.put("forwardMacsPerImage", macs);
        r.put("trainableParameters", parameters);
        r.put("medianStepMs", round3(med));
        r.put("imagesPerSecond", round1(ips));
        r.put("imagesPerSecondMean", round1(meanIps));
        r.put("achievedGflops", round1(ips * 6.0 * macs / 1e9));
        r.put("peakRssMiB", round1(procStatusKb("VmHWM") / 1024.0));
        r.put("rssMiB", round1(procStatusKb("VmRSS") / 1024.0));
        r.put("firstLoss", round3(losses[1]));
        r.put("lastLoss", round3(losses[steps]));
        r.put("stepMs", Arrays.stream(stepMs).map(PerfBench::round3).toArray());
        System.err.printf(Locale.ROOT, "[java] train c=%d batch %d: median step %.1f ms, %.1f images/s, %.1f GFLOP/s,"
                + " peak RSS %.0f MiB%n", c, batch, med, ips, ips * 6.0 * macs / 1e9, procStatusKb("VmHWM") / 1024.0);
        return r;
    }

    /** Milliseconds of the steps after the first `warm`, from the stamps trainDemo's observer took. */
    static double[] stepMillis(long[] stamps, int warm, int measured) {
        double[] ms = new double[measured];
        for (int i = 0; i < measured; i++) {
            int s = warm + i; // 0-based step s runs from stamps[s] to stamps[s + 1]
            ms[i] = (stamps[s + 1] - stamps[s]) / 1e6;
        }
        return ms;
    }

    /** Hears each step of {@link #trainDemo}: step 0 when the epoch starts, then 1, 2, ... with its loss. */
    interface StepObserver {
        void stepFinished(int step, double loss);
    }

    /**
     * Trains the demo recipe of {@link #train} at width c for the given number of steps on synthetic
     * images, through the project's AnytimeTrainer; also used by bench/ProfileStep.java.
     *
     * @return the network's forward MACs per image and its trainable parameter count
     */
    static long[] trainDemo(int c, int steps, StepObserver observer) throws IOException {
        ModelConfig config = demoConfig(c);
        ImageSet data = synthetic(steps * batch, 7L + c);
        TrainConfig trainConfig = new TrainConfig(1, batch, 0.1, 0.9, false, 1e-4, "cosine", 0, 1, 0, 0, 0, false,
                "const");
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = Architectures.buildInitialized(config, manager);
            long[] size = {forwardMacs(net), trainableParameters(net)};
            LossWeighting weighting = LossWeightings.create("const", net.headCount(), 1);
            TrainingListener listener = new TrainingListener() {
                @Override
                public void epochStarted(int epoch, int epochs, int stepsInEpoch) {
                    observer.stepFinished(0, Double.NaN);
                }

                @Override
                public void stepFinished(int epoch, int step, double loss, double imagesPerSecond) {
                    observer.stepFinished(step, loss);
                }

                @Override
                public void epochFinished(EpochSummary summary) {}
            };
            try (AnytimeTrainer trainer = new AnytimeTrainer(net, manager, trainConfig, weighting, listener, null)) {
                trainer.fit(new TrainingData(data, data.slice(0, 0), Normalization.fit(data)));
            }
            return size;
        }
    }

    static ImageSet synthetic(int images, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[images * INPUT.channels() * INPUT.height() * INPUT.width()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        int[] labels = new int[images];
        for (int i = 0; i < images; i++) {
            labels[i] = random.nextInt(CLASSES);
        }
        return new ImageSet(pixels, labels, INPUT.channels(), INPUT.height(), INPUT.width(), CLASSES);
    }

    // --------------------------------------------------------------------------------------- infer

    /**
     * Inference through the network's ordinary forward ({@code training = false}, grad mode off, all six
     * heads computed). Per run: copy the input from a Java float[] into a sub-manager, forward, softmax of
     * the final head, copy it back (as {@code bench/InferenceBench} times the whole network).
     * Batch 1, on {@link #BATCH1_THREADS} intra-op thread: median (and p99) latency, and against it its
     * kernels: the forward of each conv / BN (running statistics) / linear layer at batch 1, once alone
     * with the medians summed, as the training floor but forward only ({@link #timeLayer}), and once back to
     * back ({@link #kernelChainMs}). Batch 256, on the configured threads: images/s = 256 / median time.
     */
    static Map<String, Object> infer(int c) {
        ModelConfig config = demoConfig(c);
        int size = INPUT.channels() * INPUT.height() * INPUT.width();
        SplittableRandom random = new SplittableRandom(11);
        float[] one = new float[size];
        float[] many = new float[INFER_BATCH * size];
        for (int i = 0; i < one.length; i++) {
            one[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < many.length; i++) {
            many[i] = (float) random.nextGaussian();
        }
        double[] b1 = new double[reps.b1Runs()];
        double[] b256 = new double[reps.b256Runs()];
        double b1KernelsMs = 0;
        double b1ChainMs;
        Engine.getInstance().setRandomSeed(1);
        JniUtils.setGradMode(false);
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = Architectures.buildInitialized(config, manager);
            ParameterStore ps = new ParameterStore(manager, false);
            // batch 1 on one intra-op thread, predict's default: with two the latency is bimodal (1.7 or 3.6 ms
            // p50 from one process to the next), probably as the second thread sleeps or not between small ops
            int threads = JniUtils.getNumThreads();
            JniUtils.setNumThreads(BATCH1_THREADS);
            for (int i = -reps.b1Warm(); i < b1.length; i++) {
                double ms = forwardOnce(net, ps, manager, one, 1);
                if (i >= 0) {
                    b1[i] = ms;
                }
            }
            // the batch-1 kernel floor: each conv / BN / linear layer's forward alone, summed
            List<Layer> layers = new ArrayList<>();
            collectLayers(net, "", layers);
            for (Layer layer : layers) {
                b1KernelsMs += timeLayer(manager, layer, 1, false, reps.b1Warm() / 4, reps.b1Runs() / 5);
            }
            b1ChainMs = kernelChainMs(manager, layers, 1, reps.b1Warm(), reps.b1Runs());
            JniUtils.setNumThreads(threads);
            for (int i = -reps.b256Warm(); i < b256.length; i++) {
                double ms = forwardOnce(net, ps, manager, many, INFER_BATCH);
                if (i >= 0) {
                    b256[i] = ms;
                }
            }
        }
        Map<String, Object> r = header("infer");
        r.put("c", c);
        r.put("batch1Threads", BATCH1_THREADS);
        r.put("batch1Runs", b1.length);
        r.put("batch1P50Ms", round3(median(b1)));
        r.put("batch1P99Ms", round3(percentile(b1, 99)));
        r.put("batch1KernelsMs", round3(b1KernelsMs));
        r.put("batch1OverKernels", round3(median(b1) / b1KernelsMs));
        r.put("batch1KernelChainMs", round3(b1ChainMs));
        r.put("batch1OverKernelChain", round3(median(b1) / b1ChainMs));
        r.put("batch256Runs", b256.length);
        r.put("batch256MedianMs", round3(median(b256)));
        r.put("batch256ImagesPerSecond", round1(INFER_BATCH / (median(b256) / 1e3)));
        System.err.printf(Locale.ROOT, "[java] infer c=%d: batch 1 p50 %.3f ms (p99 %.3f; its conv/BN/linear kernels "
                + "%.3f ms alone, %.3f ms back to back); batch %d %.1f images/s%n", c, median(b1), percentile(b1, 99),
                b1KernelsMs, b1ChainMs, INFER_BATCH, INFER_BATCH / (median(b256) / 1e3));
        return r;
    }

    /**
     * Median milliseconds of the layers' forwards (grad mode off) run back to back in network order, each on
     * an input of its own made beforehand: the same kernels as the summed floor, but in sequence, so each
     * meets the caches the previous ones left (the summed floor repeats one layer on warm data). What a
     * full forward spends beyond this is the framework and the ops that are not conv/BN/linear.
     */
    static double kernelChainMs(NDManager parent, List<Layer> layers, int n, int warm, int repeats) {
        try (NDManager scope = parent.newSubManager()) {
            List<UnaryOperator<PtNDArray>> ops = new ArrayList<>();
            List<PtNDArray> inputs = new ArrayList<>();
            for (Layer layer : layers) {
                ops.add(layerOp(scope, layer, false, new ArrayList<>()));
                inputs.add((PtNDArray) scope.randomNormal(withBatch(layer.input(), n)));
            }
            double[] ms = new double[repeats];
            for (int i = -warm; i < repeats; i++) {
                long t0 = System.nanoTime();
                try (NDManager it = scope.newSubManager()) {
                    for (int k = 0; k < ops.size(); k++) {
                        ops.get(k).apply(inputs.get(k)).attach(it);
                    }
                }
                long t = System.nanoTime() - t0;
                if (i >= 0) {
                    ms[i] = t / 1e6;
                }
            }
            return median(ms);
        }
    }

    static double forwardOnce(AnytimeNetwork net, ParameterStore ps, NDManager manager, float[] input, int n) {
        long t0 = System.nanoTime();
        try (NDManager scope = manager.newSubManager()) {
            NDList logits = net.forward(ps, new NDList(scope.create(input, INPUT.batchShape(n))), false);
            logits.get(logits.size() - 1).softmax(1).toFloatArray();
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    // ------------------------------------------------------------------------------------ overhead

    /**
     * Per-op framework overhead: a + b on two 1-element float32 arrays, timed in chunks of
     * {@code opsPerChunk} ops; the figure is the median over chunks of (chunk time / ops). Out of place
     * (allocates the result tensor and its Java NDArray, registered with the manager) and in place.
     */
    static Map<String, Object> overhead() {
        double[] addNs = new double[reps.opChunks()];
        double[] addiNs = new double[reps.opChunks()];
        int k = reps.opsPerChunk();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = -reps.opWarmChunks(); i < reps.opChunks(); i++) {
                try (NDManager it = manager.newSubManager()) {
                    NDArray a = it.create(new float[] {1f});
                    NDArray b = it.create(new float[] {2f});
                    long t0 = System.nanoTime();
                    for (int j = 0; j < k; j++) {
                        a.add(b); // results join `it`, freed when it closes (outside the clock)
                    }
                    long t1 = System.nanoTime();
                    for (int j = 0; j < k; j++) {
                        a.addi(b);
                    }
                    long t2 = System.nanoTime();
                    if (i >= 0) {
                        addNs[i] = (double) (t1 - t0) / k;
                        addiNs[i] = (double) (t2 - t1) / k;
                    }
                }
            }
        }
        // one batch norm on a tiny input (inference): through DJL's BatchNorm block, and straight to the engine
        // as model.Layers.bnRelu calls it; the difference is the block's per-call wrapping (swapAxes etc.)
        double[] bnBlockNs = new double[reps.opChunks()];
        double[] bnDirectNs = new double[reps.opChunks()];
        Shape tiny = new Shape(1, 4, 2, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            BatchNorm bn = BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build();
            bn.initialize(manager, DataType.FLOAT32, tiny);
            ParameterStore ps = new ParameterStore(manager, false);
            PtNDArray[] p = new PtNDArray[4];
            String[] names = {"runningMean", "runningVar", "gamma", "beta"};
            for (int j = 0; j < 4; j++) {
                p[j] = (PtNDArray) bn.getDirectParameters().get(names[j]).getArray();
            }
            for (int i = -reps.opWarmChunks(); i < reps.opChunks(); i++) {
                try (NDManager it = manager.newSubManager()) {
                    NDArray x = it.randomNormal(tiny);
                    NDList in = new NDList(x);
                    long t0 = System.nanoTime();
                    for (int j = 0; j < k; j++) {
                        bn.forward(ps, in, false);
                    }
                    long t1 = System.nanoTime();
                    for (int j = 0; j < k; j++) {
                        JniUtils.batchNorm((PtNDArray) x, p[0], p[1], p[2], p[3], false, 0.1, 1e-5);
                    }
                    long t2 = System.nanoTime();
                    if (i >= 0) {
                        bnBlockNs[i] = (double) (t1 - t0) / k;
                        bnDirectNs[i] = (double) (t2 - t1) / k;
                    }
                }
            }
        }
        Map<String, Object> r = header("overhead");
        r.put("chunks", addNs.length);
        r.put("opsPerChunk", k);
        r.put("addNs", round1(median(addNs)));
        r.put("addInplaceNs", round1(median(addiNs)));
        r.put("batchNormBlockNs", round1(median(bnBlockNs)));
        r.put("batchNormDirectNs", round1(median(bnDirectNs)));
        System.err.printf(Locale.ROOT, "[java] trivial op: add %.0f ns, in-place add %.0f ns; batch norm of a tiny "
                + "input: DJL block %.0f ns, direct %.0f ns%n", median(addNs), median(addiNs), median(bnBlockNs),
                median(bnDirectNs));
        return r;
    }

    // ------------------------------------------------------------------------------------- helpers

    static ModelConfig demoConfig(int c) {
        return new ModelConfig("resann", N_UNITS_PER_STAGE, c, HEAD_STRIDE, CLASSES, INPUT);
    }

    /** Forward MACs of one image through every head (the final exit's cumulative cost). */
    static long forwardMacs(AnytimeNetwork net) {
        return net.exitCosts().get(net.headCount() - 1).cumulativeMacs();
    }

    static long trainableParameters(Block net) {
        long n = 0;
        for (Parameter p : net.getParameters().values()) {
            if (p.requiresGradient()) {
                n += p.getArray().getShape().size();
            }
        }
        return n;
    }

    static Shape withBatch(Shape shape, long n) {
        long[] dims = shape.getShape().clone();
        dims[0] = n;
        return new Shape(dims);
    }

    static Map<String, Object> header(String measure) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("side", "java");
        r.put("measure", measure);
        r.put("round", round);
        r.put("quick", quick);
        r.put("threads", JniUtils.getNumThreads());
        r.put("interopThreads", JniUtils.getNumInteropThreads());
        r.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        r.put("djl", Engine.getDjlVersion());
        r.put("java", System.getProperty("java.version"));
        r.put("retainNativeMemory", retainNativeMemory);
        return r;
    }

    static void emit(Map<String, Object> result) throws IOException {
        System.out.println(JSON.writeValueAsString(result));
        System.out.flush();
    }

    /** A field of /proc/self/status in kB (VmHWM = peak resident set), or -1 where there is none. */
    static long procStatusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: report -1
        }
        return -1;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double percentile(double[] values, double p) {
        double[] s = values.clone();
        Arrays.sort(s);
        int index = (int) Math.ceil(p / 100 * s.length) - 1;
        return s[Math.max(0, Math.min(index, s.length - 1))];
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
