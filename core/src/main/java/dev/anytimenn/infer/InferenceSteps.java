package dev.anytimenn.infer;

import java.util.List;
import java.util.Optional;

/**
 * One engine's way of running a network step by step; {@link AnytimePredictor}'s loop (stopping rules,
 * latency estimates, samples leaving the batch) is the same for every engine. DJL steps unit by unit,
 * ONNX Runtime segment by segment (one exit each).
 */
interface InferenceSteps {

    /** How many steps a whole run takes. */
    int count();

    /** The 0-based exit whose answer the 0-based {@code step} ends with, or -1. */
    int exitAfter(int step);

    /** MACs per sample of each step; they add up to the final exit's cumulative cost. */
    long[] macs();

    /** Starts a run on raw images (bytes, C x H x W each). */
    Run start(List<byte[]> images);

    /** One run of a batch; close it to free what it holds. */
    interface Run extends AutoCloseable {

        /** Runs the next step; when it ends at an exit, that exit's class probabilities, [row * classes + class]. */
        Optional<float[]> next();

        /** Keeps only the given rows (0-based, of the current batch) for the steps still to run. */
        void keepRows(long[] rows);

        @Override
        void close();
    }
}
