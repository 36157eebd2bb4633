package dev.anytimenn.eval;

/**
 * Accuracy and mean cross-entropy of every exit over one data set.
 *
 * @param accuracy per exit, in [0, 1]
 * @param loss per exit, mean cross-entropy
 * @param images how many images were evaluated
 */
public record ExitMetrics(double[] accuracy, double[] loss, int images) {

    public ExitMetrics {
        accuracy = accuracy.clone();
        loss = loss.clone();
    }

    public int exits() {
        return accuracy.length;
    }
}
