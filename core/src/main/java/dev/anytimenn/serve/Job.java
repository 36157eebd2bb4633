package dev.anytimenn.serve;

import dev.anytimenn.infer.Prediction;
import dev.anytimenn.infer.StoppingPolicy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One admitted prediction request on its way through the queue and a worker's batch.
 *
 * @param arrivalNanos when the request arrived ({@link System#nanoTime()}); its deadline counts from here
 * @param workEndNanos when its work must end (its deadline less the server's reserve), on the same scale;
 *     {@link Long#MAX_VALUE} for a server that runs every request to the final exit
 */
record Job(PredictRequest request, StoppingPolicy policy, long arrivalNanos, long workEndNanos, Reply reply,
        Progress progress) {

    /** What becomes of a job, on the worker's thread; each reply writes its own response. */
    interface Reply {
        /** The job reached an exit and goes on (streams send it). */
        default void exitReached(Job job, Prediction atExit) {}

        /** The job's answer is final ({@code exit} 0: no exit was reached). */
        void answered(Job job, Prediction answer);

        /** The worker failed on the job's batch: answer 500. */
        void failed(Job job, String message);
    }

    /** When a worker took the job, whether its client left, and whether it was answered. */
    static final class Progress {
        volatile long takenNanos;
        final AtomicBoolean cancelled = new AtomicBoolean();
        final AtomicBoolean finished = new AtomicBoolean();
    }

    static Job of(PredictRequest request, StoppingPolicy policy, long arrivalNanos, long workEndNanos, Reply reply,
            Progress progress) {
        return new Job(request, policy, arrivalNanos, workEndNanos, reply, progress);
    }

    boolean cancelled() {
        return progress.cancelled.get();
    }

    /** Stops the work for this job at its next step (its client has gone). */
    void cancel() {
        progress.cancelled.set(true);
    }

    void answer(Prediction answer) {
        if (progress.finished.compareAndSet(false, true)) {
            reply.answered(this, answer);
        }
    }

    void fail(String message) {
        if (progress.finished.compareAndSet(false, true)) {
            reply.failed(this, message);
        }
    }
}
