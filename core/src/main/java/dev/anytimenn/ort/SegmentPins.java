package dev.anytimenn.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tensors made once for every run of one batch size on one thread: the input, and every segment's outputs,
 * which ONNX Runtime then writes in place ("pinned outputs") instead of allocating them and handing each back
 * through a new Java object. A segment's features go on to the next segment as they are.
 *
 * <p>At batch 1 the fresh outputs cost about as much as a segment's kernels gain from stopping early
 * (`bench/engines`, bench/RESULTS.md, #16). A run takes the set while it runs and gives it back when it
 * closes; a second run on the same thread meanwhile gets fresh tensors, never these.
 */
final class SegmentPins implements AutoCloseable {

    private final FloatBuffer pixels;
    private final OnnxTensor input;
    /** Per segment (0-based), its outputs by name: the logits first, then the features it leaves. */
    private final List<Map<String, OnnxTensor>> outputs;
    private final List<OnnxTensor> all = new ArrayList<>();
    private boolean taken;

    private SegmentPins(FloatBuffer pixels, OnnxTensor input, List<Map<String, OnnxTensor>> outputs) {
        this.pixels = pixels;
        this.input = input;
        this.outputs = outputs;
        all.add(input);
        outputs.forEach(m -> all.addAll(m.values()));
    }

    /**
     * @param inputShape the batch's input shape, [batch, C, H, W]
     * @param outputShapes per segment, each output's shape with the batch dimension already set, in output order
     */
    static SegmentPins allocate(OrtEnvironment env, long[] inputShape, List<Map<String, long[]>> outputShapes)
            throws OrtException {
        List<OnnxTensor> made = new ArrayList<>();
        try {
            FloatBuffer pixels = direct(count(inputShape));
            OnnxTensor input = OnnxTensor.createTensor(env, pixels, inputShape);
            made.add(input);
            List<Map<String, OnnxTensor>> outputs = new ArrayList<>();
            for (Map<String, long[]> segment : outputShapes) {
                Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
                for (Map.Entry<String, long[]> o : segment.entrySet()) {
                    OnnxTensor t = OnnxTensor.createTensor(env, direct(count(o.getValue())), o.getValue());
                    made.add(t);
                    tensors.put(o.getKey(), t);
                }
                outputs.add(tensors);
            }
            return new SegmentPins(pixels, input, outputs);
        } catch (OrtException | RuntimeException e) {
            made.forEach(OnnxTensor::close);
            throw e;
        }
    }

    private static FloatBuffer direct(long count) {
        return ByteBuffer.allocateDirect(Math.toIntExact(count * Float.BYTES)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Takes the set for one run, with {@code values} as its input; false when another run has it. */
    boolean take(float[] values) {
        if (taken) {
            return false;
        }
        taken = true;
        pixels.clear();
        pixels.put(values);
        pixels.rewind();
        return true;
    }

    void giveBack() {
        taken = false;
    }

    OnnxTensor input() {
        return input;
    }

    /** Segment {@code exit}'s (1-based) outputs by name, for ONNX Runtime to write. */
    Map<String, OnnxTensor> outputs(int exit) {
        return outputs.get(exit - 1);
    }

    @Override
    public void close() {
        all.forEach(OnnxTensor::close);
    }
}
