package dev.anytimenn.infer;

/**
 * One anytime answer.
 *
 * @param label the predicted class, or -1 when no exit was reached
 * @param probabilities class probabilities of the answering exit (empty when none was reached)
 * @param exit 1-based exit that answered; 0 when none was reached in time
 * @param macs multiply-accumulates actually spent on this input
 * @param elapsedMs wall time from the call to the answer
 */
public record Prediction(int label, float[] probabilities, int exit, long macs, double elapsedMs) {

    public boolean answered() {
        return exit > 0;
    }
}
