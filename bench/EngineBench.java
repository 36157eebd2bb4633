import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.anytimenn.data.IdxArray;
import dev.anytimenn.data.IdxReader;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.AnytimePredictor;
import dev.anytimenn.infer.InferenceEngine;
import dev.anytimenn.infer.Prediction;
import dev.anytimenn.infer.StoppingRule;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.onnx.NetworkGraphs;
import dev.anytimenn.ort.OrtSettings;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * DJL eager against ONNX Runtime (segments, and the whole graph) on one model, in one process:
 * batch-1 latency of every exit and of the whole network (p50/p99), ONNX Runtime's own kernel time of the
 * whole graph (its profiler), batch-256 throughput, and deadline adherence of the predictor that
 * {@code predict --engine ...} runs. The PyTorch side is bench/peer/torch_engines.py; bench/engines runs both.
 * Arguments: MODEL runs throughputBatches threads output.json. DJL's threads are set when it loads
 * (-Dai.djl.pytorch.num_threads), ONNX Runtime's from the argument.
 */
public class EngineBench {

    static final int BATCH = 256;
    static final double[] DEADLINES_MS = {0.5, 1, 2, 5};

    public static void main(String[] args) throws Exception {
        dev.anytimenn.engine.EngineLogging.quietNativeWarnings();
        Path modelPath = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        int batches = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        Path out = Path.of(args[4]);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model", modelPath.toString());
        result.put("runs", runs);
        result.put("threads", threads);
        result.put("throughputBatch", BATCH);
        InferenceEngine ort = new InferenceEngine.OnnxRuntime(new OrtSettings(threads, OrtSettings.Optimization.ALL));
        try (AnytimeModel model = AnytimeModel.open(modelPath, Device.cpu())) {
            List<byte[]> images = images(model.inputShape(), Math.max(runs, BATCH));
            List<ExitCost> exits = model.exitCosts();
            Map<String, AnytimePredictor> predictors = new LinkedHashMap<>();
            predictors.put("djl", model.predictor(InferenceEngine.DJL));
            predictors.put("onnxruntime-segments", model.predictor(ort));

            // batch 1, exit by exit: what an anytime caller that stops at exit k waits
            Map<String, Object> latency = new LinkedHashMap<>();
            for (Map.Entry<String, AnytimePredictor> e : predictors.entrySet()) {
                AnytimePredictor p = e.getValue();
                p.warmUp(200);
                List<Map<String, Object>> perExit = new ArrayList<>();
                for (ExitCost exit : exits) {
                    double[] ms = new double[runs];
                    StoppingRule rule = new StoppingRule.CostBudget(exit.cumulativeMacs());
                    for (int i = 0; i < runs; i++) {
                        long start = System.nanoTime();
                        p.predict(images.get(i), rule);
                        ms[i] = (System.nanoTime() - start) / 1e6;
                    }
                    perExit.add(stats(ms, "exit", exit.index()));
                    System.out.printf("%-22s exit %d (%.2f MMACs): %s%n", e.getKey(), exit.index(),
                            exit.cumulativeMacs() / 1e6, describe(ms));
                }
                latency.put(e.getKey(), perExit);
            }
            result.put("exitLatency", latency);

            // batch 1, the whole network in one call (every exit's logits, nothing stops)
            Map<String, Object> whole = new LinkedHashMap<>();
            whole.put("djl-forward", wholeDjl(model, images, runs));
            whole.put("onnxruntime-whole-graph", timed(runs, i -> model.exitLogits(List.of(images.get(i)),
                    ((InferenceEngine.OnnxRuntime) ort).settings())));
            for (Map.Entry<String, AnytimePredictor> e : predictors.entrySet()) {
                whole.put(e.getKey() + "-stepwise", timed(runs, i -> e.getValue().predict(images.get(i),
                        new StoppingRule.RunAll())));
            }
            whole.forEach((k, v) -> System.out.printf("whole network, %-32s %s%n", k, v));
            whole.put("onnxruntime-whole-graph-kernels", ortKernelTime(model, threads, images, Math.min(runs, 500)));
            System.out.printf("ONNX Runtime whole graph, its kernels alone (profiler, median of the warm runs): %s%n",
                    whole.get("onnxruntime-whole-graph-kernels"));
            Map<String, Object> overheads = ortOverheads(exits.size(), model.inputShape().batchShape(1).getShape(),
                    model.classNames().size(), threads, runs);
            whole.put("onnxruntime-overheads", overheads);
            System.out.printf("ONNX Runtime's own costs at batch 1 (graphs with next to no compute): %s%n", overheads);
            result.put("wholeNetworkBatch1", whole);

            // batch 256: images per second through every exit
            List<byte[]> batch = images.subList(0, BATCH);
            Map<String, Object> throughput = new LinkedHashMap<>();
            throughput.put("djl-forward", imagesPerSecond(batches, () -> djlForward(model, batch)));
            throughput.put("onnxruntime-whole-graph", imagesPerSecond(batches, () -> model.exitLogits(batch,
                    ((InferenceEngine.OnnxRuntime) ort).settings())));
            for (Map.Entry<String, AnytimePredictor> e : predictors.entrySet()) {
                throughput.put(e.getKey() + "-stepwise", imagesPerSecond(batches,
                        () -> e.getValue().predictBatch(batch, new StoppingRule.RunAll())));
            }
            throughput.forEach((k, v) -> System.out.printf("batch %d, %-30s %.0f images/s%n", BATCH, k, (double) v));
            result.put("throughputImagesPerSecond", throughput);

            // deadlines: the predictor predict --engine runs
            Map<String, Object> deadlines = new LinkedHashMap<>();
            for (Map.Entry<String, AnytimePredictor> e : predictors.entrySet()) {
                List<Map<String, Object>> perDeadline = new ArrayList<>();
                for (double deadline : DEADLINES_MS) {
                    perDeadline.add(deadline(e.getKey(), e.getValue(), images, runs, deadline));
                }
                deadlines.put(e.getKey(), perDeadline);
            }
            result.put("deadlines", deadlines);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Jsons.MAPPER.writeValueAsString(result) + "\n");
    }

    interface Call {
        void run(int i) throws Exception;
    }

    interface Work {
        void run() throws Exception;
    }

    static Map<String, Object> timed(int runs, Call call) throws Exception {
        for (int i = 0; i < 200; i++) {
            call.run(i % runs);
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            call.run(i);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        return stats(ms, null, 0);
    }

    static double imagesPerSecond(int batches, Work work) throws Exception {
        work.run(); // warm
        long start = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            work.run();
        }
        return BATCH * batches / ((System.nanoTime() - start) / 1e9);
    }

    /** One ordinary DJL forward of the whole network at batch 1 (all heads, softmax of the last). */
    static Map<String, Object> wholeDjl(AnytimeModel model, List<byte[]> images, int runs) throws Exception {
        return timed(runs, i -> djlForward(model, List.of(images.get(i))));
    }

    static void djlForward(AnytimeModel model, List<byte[]> images) {
        InputShape s = model.inputShape();
        float[][] lookup = model.normalization().lookupTables();
        int size = s.channels() * s.height() * s.width();
        int plane = s.height() * s.width();
        float[] input = new float[images.size() * size];
        for (int i = 0; i < images.size(); i++) {
            byte[] pixels = images.get(i);
            for (int p = 0; p < size; p++) {
                input[i * size + p] = lookup[p / plane][pixels[p] & 0xff];
            }
        }
        try (NDManager scope = model.manager().newSubManager()) {
            NDList logits = model.network().forward(new ParameterStore(model.manager(), false),
                    new NDList(scope.create(input, s.batchShape(images.size()))), false);
            logits.get(logits.size() - 1).softmax(1).toFloatArray();
        }
    }

    /**
     * The whole graph's node kernel times, from ONNX Runtime's own profiler: per run, the sum of its nodes'
     * kernel times; the median over the warm runs (the first {@code warm} are left out: they select kernels and
     * allocate). Beside it, the median of the same runs' "model_run" time in the profiler and on our clock.
     */
    static Map<String, Object> ortKernelTime(AnytimeModel model, int threads, List<byte[]> images, int runs)
            throws Exception {
        int warm = 200;
        byte[] graph = NetworkGraphs.of(model.network(), model.description()).whole().toByteArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Path prefix = Files.createTempDirectory("ort-profile").resolve("whole");
        InputShape s = model.inputShape();
        long[] shape = s.batchShape(1).getShape();
        double[] wallMs = new double[runs];
        Path trace;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.enableProfiling(prefix.toString());
            try (OrtSession session = env.createSession(graph, options)) {
                for (int i = 0; i < warm + runs; i++) {
                    byte[] image = images.get(i % images.size());
                    float[] x = new float[image.length];
                    for (int p = 0; p < x.length; p++) {
                        x[p] = image[p] & 0xff;
                    }
                    long start = System.nanoTime();
                    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                            OrtSession.Result r = session.run(Map.of(NetworkGraphs.PIXELS, t))) {
                        r.get(0);
                    }
                    if (i >= warm) {
                        wallMs[i - warm] = (System.nanoTime() - start) / 1e6;
                    }
                }
                trace = Path.of(session.endProfiling());
            }
        }
        // each node's kernel event falls inside the model_run event of its run
        List<double[]> modelRuns = new ArrayList<>(); // {ts, dur, kernel sum}, in microseconds
        List<double[]> kernels = new ArrayList<>(); // {ts, dur}
        for (JsonNode event : Jsons.MAPPER.readTree(trace.toFile())) {
            String cat = event.path("cat").asText();
            String name = event.path("name").asText();
            double ts = event.path("ts").asDouble();
            double dur = event.path("dur").asDouble();
            if ("Session".equals(cat) && "model_run".equals(name)) {
                modelRuns.add(new double[] {ts, dur, 0});
            } else if ("Node".equals(cat) && name.endsWith("_kernel_time")) {
                kernels.add(new double[] {ts, dur});
            }
        }
        Files.deleteIfExists(trace);
        modelRuns.sort((x, y) -> Double.compare(x[0], y[0]));
        kernels.sort((x, y) -> Double.compare(x[0], y[0]));
        int k = 0;
        for (double[] run : modelRuns) {
            while (k < kernels.size() && kernels.get(k)[0] < run[0]) {
                k++;
            }
            while (k < kernels.size() && kernels.get(k)[0] <= run[0] + run[1]) {
                run[2] += kernels.get(k)[1];
                k++;
            }
        }
        if (modelRuns.size() != warm + runs) {
            throw new IllegalStateException("the profile has " + modelRuns.size() + " runs, expected " + (warm + runs));
        }
        List<double[]> measured = modelRuns.subList(warm, modelRuns.size());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", runs);
        m.put("warmRunsLeftOut", warm);
        m.put("kernelMsPerRun", round(percentile(measured.stream().mapToDouble(r -> r[2] / 1e3).toArray(), 50)));
        m.put("nodesPerRun", (double) kernels.size() / modelRuns.size());
        m.put("profiledModelRunMs", round(percentile(measured.stream().mapToDouble(r -> r[1] / 1e3).toArray(), 50)));
        m.put("profiledWallMsPerRun", round(percentile(wallMs, 50)));
        return m;
    }

    /**
     * What ONNX Runtime costs around the kernels of a batch-1 run, from graphs with next to no compute:
     * a "shell" with the whole graph's input and outputs (Flatten, then a Slice per exit's logits), which
     * pays the per-run cost (the input tensor, the call, the outputs handed back), and chains of Neg nodes on
     * a [1, 10] tensor, whose growth with length is the cost of dispatching one more node.
     */
    static Map<String, Object> ortOverheads(int exits, long[] inputShape, int classes, int threads, int runs)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OnnxMl.GraphProto.Builder shell = OnnxMl.GraphProto.newBuilder().setName("shell")
                .addInput(valueInfo(NetworkGraphs.PIXELS, inputShape))
                .addNode(node("Flatten", List.of(NetworkGraphs.PIXELS), "flat"))
                .addInitializer(longs("starts", 0)).addInitializer(longs("ends", classes)).addInitializer(longs("axes", 1));
        for (int k = 1; k <= exits; k++) {
            shell.addNode(node("Slice", List.of("flat", "starts", "ends", "axes"), NetworkGraphs.logits(k)))
                    .addOutput(valueInfo(NetworkGraphs.logits(k), new long[] {inputShape[0], classes}));
        }
        float[] pixels = new float[(int) Arrays.stream(inputShape).reduce(1, (a, b) -> a * b)];
        double shellMs = medianRunMs(env, model(shell), NetworkGraphs.PIXELS, pixels, inputShape, threads, runs);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shellRunMs", round(shellMs));
        int shortChain = 1;
        int longChain = 65;
        double[] chainMs = new double[2];
        for (int c = 0; c < 2; c++) {
            int length = c == 0 ? shortChain : longChain;
            long[] shape = {1, 10};
            OnnxMl.GraphProto.Builder chain = OnnxMl.GraphProto.newBuilder().setName("chain").addInput(valueInfo("x", shape));
            for (int i = 0; i < length; i++) {
                chain.addNode(node("Neg", List.of(i == 0 ? "x" : "n" + (i - 1)), "n" + i));
            }
            chain.addOutput(valueInfo("n" + (length - 1), shape));
            chainMs[c] = medianRunMs(env, model(chain), "x", new float[10], shape, threads, runs);
        }
        m.put("nodeDispatchUs", round((chainMs[1] - chainMs[0]) / (longChain - shortChain) * 1e3));
        return m;
    }

    private static double medianRunMs(OrtEnvironment env, byte[] model, String input, float[] values, long[] shape,
            int threads, int runs) throws Exception {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(model, options)) {
                double[] ms = new double[runs];
                for (int i = -200; i < runs; i++) {
                    long start = System.nanoTime();
                    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
                            OrtSession.Result r = session.run(Map.of(input, t))) {
                        r.get(0);
                    }
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - start) / 1e6;
                    }
                }
                return percentile(ms, 50);
            }
        }
    }

    private static byte[] model(OnnxMl.GraphProto.Builder graph) {
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph).build().toByteArray();
    }

    private static OnnxMl.NodeProto node(String op, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(inputs).addOutput(output).build();
    }

    private static OnnxMl.TensorProto longs(String name, long value) {
        return OnnxMl.TensorProto.newBuilder().setName(name).setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
                .addDims(1).addInt64Data(value).build();
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, long[] dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }

    static Map<String, Object> deadline(String engine, AnytimePredictor p, List<byte[]> images, int runs,
            double deadline) {
        int onTime = 0;
        int answered = 0;
        double exitSum = 0;
        double[] overshoot = new double[runs];
        for (int i = 0; i < runs; i++) {
            Prediction prediction = p.predict(images.get(i), StoppingRule.Deadline.ofMillis(deadline));
            overshoot[i] = Math.max(0, prediction.elapsedMs() - deadline);
            onTime += prediction.elapsedMs() <= deadline ? 1 : 0;
            answered += prediction.answered() ? 1 : 0;
            exitSum += prediction.exit();
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("deadlineMs", deadline);
        d.put("fractionByDeadline", round((double) onTime / runs));
        d.put("fractionAnswered", round((double) answered / runs));
        d.put("p99OvershootMs", round(percentile(overshoot, 99)));
        d.put("meanExit", round(exitSum / runs));
        System.out.printf("%-22s deadline %.1f ms: %.1f %% by the deadline, %.1f %% answered, p99 overshoot %.3f ms, "
                + "mean exit %.2f%n", engine, deadline, 100.0 * onTime / runs, 100.0 * answered / runs,
                percentile(overshoot, 99), exitSum / runs);
        return d;
    }

    /** Fashion-MNIST test images when the model takes them and they are installed, else seeded random ones. */
    static List<byte[]> images(InputShape shape, int count) throws Exception {
        int size = shape.channels() * shape.height() * shape.width();
        Path test = Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
        List<byte[]> images = new ArrayList<>();
        if (size == 28 * 28 && Files.isRegularFile(test)) {
            IdxArray all = IdxReader.read(test);
            for (int i = 0; i < count; i++) {
                int j = i % all.count();
                images.add(Arrays.copyOfRange(all.data(), j * size, (j + 1) * size));
            }
            return images;
        }
        Random random = new Random(1);
        for (int i = 0; i < count; i++) {
            byte[] pixels = new byte[size];
            random.nextBytes(pixels);
            images.add(pixels);
        }
        return images;
    }

    static Map<String, Object> stats(double[] ms, String key, int value) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (key != null) {
            m.put(key, value);
        }
        m.put("p50Ms", round(percentile(ms, 50)));
        m.put("p99Ms", round(percentile(ms, 99)));
        return m;
    }

    static String describe(double[] ms) {
        return String.format("p50 %.3f ms, p99 %.3f ms", percentile(ms, 50), percentile(ms, 99));
    }

    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
