package dev.anytimenn.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.anytimenn.onnx.NetworkGraphs;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
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
                network.segments.add(network.session(graphs.segment(k).toByteArray()));
            }
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

    /** Starts an exit-by-exit run on a batch of raw pixel values, [batch, C, H, W]. */
    public SegmentRun start(float[] pixels, long[] shape) {
        return new SegmentRun(this, tensor(pixels, shape));
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
        List<String> names = graphs.segmentInputs(exit);
        Map<String, OnnxTensor> feed = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            feed.put(names.get(i), inputs.get(i));
        }
        Set<String> wanted = new LinkedHashSet<>(graphs.segmentOutputs(exit));
        return segments.get(exit - 1).run(feed, wanted);
    }

    List<String> segmentOutputs(int exit) {
        return graphs.segmentOutputs(exit);
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
        }
    }
}
