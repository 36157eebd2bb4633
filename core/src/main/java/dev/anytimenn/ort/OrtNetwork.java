package dev.anytimenn.ort;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.anytimenn.onnx.NetworkGraphs;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network's ONNX graphs opened in ONNX Runtime: one session per segment, for stepping exit by exit,
 * and the whole graph, for every exit of a batch at once (made at its first use). Sessions are safe to
 * run from several threads at once, so every predictor of a model shares one {@code OrtNetwork}.
 */
public final class OrtNetwork implements AutoCloseable {

    private final OrtEnvironment env;
    private final NetworkGraphs graphs;
    private final OrtSettings settings;
    private final List<OrtSession> segments = new ArrayList<>();
    private OrtSession whole;
    /** Batch sizes up to this run on pinned tensors ({@link SegmentPins}); larger ones pay less per image for fresh ones. */
    static final int PINNED_BATCHES = 4;
    /** Per thread, its pinned tensors by batch size (a thread's runs follow one another). */
    private final ThreadLocal<Map<Integer, SegmentPins>> pins = ThreadLocal.withInitial(HashMap::new);
    private final List<SegmentPins> allPins = new ArrayList<>();
    /** Per segment, the shapes of its outputs with the batch left open (-1); null when another dimension is open. */
    private final List<Map<String, long[]>> outputShapes = new ArrayList<>();
    /** Whether every segment's outputs have known shapes but for the batch, so runs may be pinned. */
    private boolean pinnable;
    /** Per segment, its input and output names (the graphs make new lists on every call). */
    private final List<List<String>> inputNames = new ArrayList<>();
    private final List<List<String>> outputNames = new ArrayList<>();
    /** Per segment, the outputs a run asks for (its output names, as a set). */
    private final List<Set<String>> wantedOutputs = new ArrayList<>();

    private OrtNetwork(NetworkGraphs graphs, OrtSettings settings) {
        // warnings and errors only; ONNX Runtime's own logger, not slf4j
        this.env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "anytime-nn");
        this.graphs = graphs;
        this.settings = settings;
    }

    /**
     * Opens a session for every segment of {@code graphs}. Loading ONNX Runtime and optimising a graph
     * take more native stack than a Java thread's default 1 MiB leaves once the JVM has used its share:
     * on this project's test class path a process crashed (SIGSEGV, no JVM error report) in the caller's
     * thread. So the sessions are made on a thread of their own with a large stack.
     */
    public static OrtNetwork open(NetworkGraphs graphs, OrtSettings settings) {
        return LargeStack.call("onnxruntime-open", () -> openHere(graphs, settings));
    }

    private static OrtNetwork openHere(NetworkGraphs graphs, OrtSettings settings) {
        OrtNetwork network = new OrtNetwork(graphs, settings);
        try {
            for (int k = 1; k <= graphs.exits(); k++) {
                OrtSession session = network.session(graphs.segment(k).toByteArray());
                network.segments.add(session);
                network.outputShapes.add(openBatchShapes(session, graphs.segmentOutputs(k)));
                network.inputNames.add(List.copyOf(graphs.segmentInputs(k)));
                network.outputNames.add(List.copyOf(graphs.segmentOutputs(k)));
                network.wantedOutputs.add(new LinkedHashSet<>(graphs.segmentOutputs(k)));
            }
            network.pinnable = !network.outputShapes.contains(null);
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    private OrtSession session(byte[] model) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(settings.intraOpThreads());
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(settings.optimization().level);
            return env.createSession(model, options);
        } catch (OrtException e) {
            throw failure("could not open a graph", e);
        }
    }

    public OrtSettings settings() {
        return settings;
    }

    public int exits() {
        return segments.size();
    }

    /** Each output's shape as the session declares it, or null when a dimension other than the batch is open. */
    private static Map<String, long[]> openBatchShapes(OrtSession session, List<String> names) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        try {
            Map<String, NodeInfo> info = session.getOutputInfo();
            for (String name : names) {
                if (!(info.get(name).getInfo() instanceof TensorInfo tensor)) {
                    return null;
                }
                long[] shape = tensor.getShape();
                for (int d = 1; d < shape.length; d++) {
                    if (shape[d] < 0) {
                        return null;
                    }
                }
                shapes.put(name, shape);
            }
        } catch (OrtException e) {
            throw failure("could not read a segment's outputs", e);
        }
        return shapes;
    }

    /** Starts an exit-by-exit run on a batch of raw pixel values, [batch, C, H, W]. */
    public SegmentRun start(float[] pixels, long[] shape) {
        SegmentPins pinned = pinsFor(shape);
        if (pinned != null && pinned.take(pixels)) {
            return new SegmentRun(this, pinned);
        }
        return new SegmentRun(this, tensor(pixels, shape));
    }

    /** This thread's pinned tensors for the batch size of {@code shape}, made at its first run; null when not pinned. */
    private SegmentPins pinsFor(long[] shape) {
        int batch = (int) shape[0];
        if (batch > PINNED_BATCHES || !pinnable) {
            return null;
        }
        Map<Integer, SegmentPins> mine = pins.get();
        SegmentPins p = mine.get(batch);
        if (p == null) {
            List<Map<String, long[]>> shapes = new ArrayList<>();
            for (Map<String, long[]> segment : outputShapes) {
                Map<String, long[]> withBatch = new LinkedHashMap<>();
                segment.forEach((name, s) -> {
                    long[] b = s.clone();
                    b[0] = batch;
                    withBatch.put(name, b);
                });
                shapes.add(withBatch);
            }
            try {
                p = SegmentPins.allocate(env, shape, shapes);
            } catch (OrtException e) {
                throw failure("could not make the tensors of a run", e);
            }
            synchronized (this) {
                if (segments.isEmpty()) { // closed meanwhile
                    p.close();
                    return null;
                }
                allPins.add(p);
            }
            mine.put(batch, p);
        }
        return p;
    }

    /** Every exit's logits, [exit][sample * classes + class], from one run of the whole graph. */
    public float[][] allExits(float[] pixels, long[] shape) {
        OrtSession session = wholeSession();
        try (OnnxTensor input = tensor(pixels, shape);
                OrtSession.Result result = session.run(Map.of(NetworkGraphs.PIXELS, input))) {
            float[][] logits = new float[exits()][];
            for (int k = 1; k <= exits(); k++) {
                logits[k - 1] = floats((OnnxTensor) result.get(NetworkGraphs.logits(k)).orElseThrow());
            }
            return logits;
        } catch (OrtException e) {
            throw failure("the whole graph failed", e);
        }
    }

    private synchronized OrtSession wholeSession() {
        if (whole == null) {
            whole = LargeStack.call("onnxruntime-open", () -> session(graphs.whole().toByteArray()));
        }
        return whole;
    }

    /** Runs segment {@code exit} (1-based) on its inputs, in order; the caller closes the result. */
    OrtSession.Result runSegment(int exit, List<OnnxTensor> inputs) throws OrtException {
        return segments.get(exit - 1).run(feed(exit, inputs), wantedOutputs.get(exit - 1));
    }

    /** The same, writing into {@code outputs} (the result holds no values of its own; close it all the same). */
    OrtSession.Result runSegment(int exit, List<OnnxTensor> inputs, Map<String, OnnxTensor> outputs)
            throws OrtException {
        return segments.get(exit - 1).run(feed(exit, inputs), outputs);
    }

    private Map<String, OnnxTensor> feed(int exit, List<OnnxTensor> inputs) {
        List<String> names = inputNames.get(exit - 1);
        Map<String, OnnxTensor> feed = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            feed.put(names.get(i), inputs.get(i));
        }
        return feed;
    }

    List<String> segmentOutputs(int exit) {
        return outputNames.get(exit - 1);
    }

    OnnxTensor tensor(float[] values, long[] shape) {
        try {
            return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
        } catch (OrtException e) {
            throw failure("could not make an input tensor", e);
        }
    }

    static float[] floats(OnnxTensor tensor) {
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    static IllegalStateException failure(String what, OrtException e) {
        return new IllegalStateException("ONNX Runtime: " + what + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            for (OrtSession s : segments) {
                s.close();
            }
            if (whole != null) {
                whole.close();
            }
        } catch (OrtException e) {
            throw failure("could not close a session", e);
        } finally {
            segments.clear();
            whole = null;
            allPins.forEach(SegmentPins::close);
            allPins.clear();
        }
    }
}
