package dev.anytimenn.serve;

import dev.anytimenn.infer.ExitThresholds;
import dev.anytimenn.infer.Prediction;
import dev.anytimenn.infer.RowListener;
import dev.anytimenn.infer.StoppingPolicy;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.model.InputShape;
import java.util.List;
import java.util.Optional;

/**
 * What the server needs of a model: its input, classes and exits, and one {@link Runner} per worker
 * thread. {@link OpenedModel} is the real one; tests put in a slow fake to make a backlog.
 */
public interface ServedModel extends AutoCloseable {

    InputShape inputShape();

    List<String> classNames();

    List<ExitCost> exits();

    /** The calibrated thresholds the model carries, if any (for {@code calibrated} requests). */
    Optional<ExitThresholds> thresholds();

    /** A runner for one worker thread, warmed up for batches of up to {@code largestBatch}. */
    Runner newRunner(int largestBatch);

    @Override
    void close();

    /** Runs batches on one thread; not thread-safe. */
    interface Runner extends AutoCloseable {

        /** One batch, each row stopped by its own policy and told to the listener as it leaves. */
        List<Prediction> run(List<byte[]> images, List<? extends StoppingPolicy> policies, RowListener listener);

        /** Expected milliseconds from the start of a batch of {@code batch} images to its first exit. */
        double expectedMsToFirstExit(int batch);

        @Override
        default void close() {}
    }
}
