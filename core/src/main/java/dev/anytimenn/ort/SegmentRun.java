package dev.anytimenn.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One exit-by-exit run of a batch through the segment sessions. The features a segment leaves go into
 * the next one as ONNX Runtime returned them (no copy), unless rows leave the batch. A small batch runs
 * on its thread's {@link SegmentPins} until rows leave it, and writes every output in place.
 * Not thread-safe; close it to free the native tensors.
 */
public final class SegmentRun implements AutoCloseable {

    private final OrtNetwork network;
    private int segmentsRun;
    /** The next segment's inputs. */
    private List<OnnxTensor> state;
    /** What owns {@link #state}: the last result, or null when the tensors are this run's own or pinned. */
    private OrtSession.Result holder;
    private List<OnnxTensor> owned;
    /** The pinned tensors this run writes into, or null. */
    private SegmentPins pins;

    SegmentRun(OrtNetwork network, OnnxTensor pixels) {
        this.network = network;
        this.state = List.of(pixels);
        this.owned = List.of(pixels);
    }

    SegmentRun(OrtNetwork network, SegmentPins pins) {
        this.network = network;
        this.pins = pins;
        this.state = List.of(pins.input());
    }

    /** Whether the run writes into its thread's tensors made once ({@link SegmentPins}) rather than fresh ones. */
    public boolean pinned() {
        return pins != null;
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
        if (pins != null) {
            return nextPinned(exit);
        }
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

    private float[] nextPinned(int exit) {
        Map<String, OnnxTensor> outputs = pins.outputs(exit);
        try (OrtSession.Result written = network.runSegment(exit, state, outputs)) {
            // the values are the pins': nothing of the result's own to keep
        } catch (OrtException e) {
            throw OrtNetwork.failure("segment " + exit + " failed", e);
        }
        segmentsRun = exit;
        List<String> names = network.segmentOutputs(exit);
        List<OnnxTensor> next = new ArrayList<>();
        for (String name : names.subList(1, names.size())) {
            next.add(outputs.get(name));
        }
        state = next;
        return OrtNetwork.floats(outputs.get(names.get(0)));
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
        unpin();
        state = kept;
        owned = kept;
    }

    private void unpin() {
        if (pins != null) {
            pins.giveBack();
            pins = null;
        }
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
        unpin();
        state = List.of();
    }
}
