package dev.anytimenn.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.List;

/**
 * One exit-by-exit run of a batch through the segment sessions. The features a segment leaves go into
 * the next one as ONNX Runtime returned them (no copy), unless rows leave the batch.
 * Not thread-safe; close it to free the native tensors.
 */
public final class SegmentRun implements AutoCloseable {

    private final OrtNetwork network;
    private int segmentsRun;
    /** The next segment's inputs. */
    private List<OnnxTensor> state;
    /** What owns {@link #state}: the last result, or null when the tensors are this run's own. */
    private OrtSession.Result holder;
    private List<OnnxTensor> owned;

    SegmentRun(OrtNetwork network, OnnxTensor pixels) {
        this.network = network;
        this.state = List.of(pixels);
        this.owned = List.of(pixels);
    }

    public boolean hasNext() {
        return segmentsRun < network.exits();
    }

    /** Runs the next segment and returns its exit's logits, [sample * classes + class]. */
    public float[] next() {
        if (!hasNext()) {
            throw new IllegalStateException("all " + network.exits() + " segments have run");
        }
        int exit = segmentsRun + 1;
        OrtSession.Result result;
        try {
            result = network.runSegment(exit, state);
        } catch (OrtException e) {
            throw OrtNetwork.failure("segment " + exit + " failed", e);
        }
        release();
        holder = result;
        segmentsRun = exit;
        List<String> outputs = network.segmentOutputs(exit);
        List<OnnxTensor> next = new ArrayList<>();
        for (String name : outputs.subList(1, outputs.size())) {
            next.add(tensor(result, name));
        }
        state = next;
        return OrtNetwork.floats(tensor(result, outputs.get(0)));
    }

    /** Keeps only the given rows (0-based, of the current batch) for the segments still to run. */
    public void keepRows(long[] rows) {
        List<OnnxTensor> kept = new ArrayList<>();
        try {
            for (OnnxTensor t : state) {
                long[] shape = t.getInfo().getShape();
                float[] all = OrtNetwork.floats(t);
                int row = all.length / (int) shape[0];
                float[] values = new float[rows.length * row];
                for (int r = 0; r < rows.length; r++) {
                    System.arraycopy(all, (int) rows[r] * row, values, r * row, row);
                }
                shape[0] = rows.length;
                kept.add(network.tensor(values, shape));
            }
        } catch (RuntimeException e) {
            kept.forEach(OnnxTensor::close);
            throw e;
        }
        release();
        state = kept;
        owned = kept;
    }

    private static OnnxTensor tensor(OrtSession.Result result, String name) {
        OnnxValue value = result.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
        return (OnnxTensor) value;
    }

    private void release() {
        if (holder != null) {
            holder.close();
            holder = null;
        }
        if (owned != null) {
            owned.forEach(OnnxTensor::close);
            owned = null;
        }
    }

    @Override
    public void close() {
        release();
        state = List.of();
    }
}
