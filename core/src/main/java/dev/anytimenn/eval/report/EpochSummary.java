package dev.anytimenn.eval.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Arrays;

/**
 * Summary of one training epoch. The arrays hold one value per exit.
 *
 * @param epoch              1-based epoch number
 * @param trainLoss          mean (weighted) training loss over the epoch
 * @param learningRate       learning rate used in the epoch (at its end if scheduled)
 * @param seconds            wall-clock seconds of the epoch
 * @param imagesPerSecond    training throughput
 * @param validationAccuracy per-exit validation accuracy in [0, 1]
 * @param validationLoss     per-exit validation loss
 * @param weights            per-exit loss weights used in the epoch
 */
@JsonPropertyOrder({"epoch", "trainLoss", "learningRate", "seconds", "imagesPerSecond",
        "validationAccuracy", "validationLoss", "weights"})
public record EpochSummary(int epoch, double trainLoss, double learningRate, double seconds,
                           double imagesPerSecond, double[] validationAccuracy,
                           double[] validationLoss, double[] weights) {

    private static final double[] EMPTY = new double[0];

    /** Null arrays become empty arrays; arrays are copied. */
    public EpochSummary {
        validationAccuracy = validationAccuracy == null ? EMPTY : validationAccuracy.clone();
        validationLoss = validationLoss == null ? EMPTY : validationLoss.clone();
        weights = weights == null ? EMPTY : weights.clone();
    }

    /** Value equality, including array contents (the record default compares array identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof EpochSummary e
                && epoch == e.epoch
                && Double.compare(trainLoss, e.trainLoss) == 0
                && Double.compare(learningRate, e.learningRate) == 0
                && Double.compare(seconds, e.seconds) == 0
                && Double.compare(imagesPerSecond, e.imagesPerSecond) == 0
                && Arrays.equals(validationAccuracy, e.validationAccuracy)
                && Arrays.equals(validationLoss, e.validationLoss)
                && Arrays.equals(weights, e.weights);
    }

    @Override
    public int hashCode() {
        int h = Integer.hashCode(epoch);
        h = 31 * h + Double.hashCode(trainLoss);
        h = 31 * h + Double.hashCode(learningRate);
        h = 31 * h + Double.hashCode(seconds);
        h = 31 * h + Double.hashCode(imagesPerSecond);
        h = 31 * h + Arrays.hashCode(validationAccuracy);
        h = 31 * h + Arrays.hashCode(validationLoss);
        h = 31 * h + Arrays.hashCode(weights);
        return h;
    }

    @Override
    public String toString() {
        return "EpochSummary[epoch=" + epoch + ", trainLoss=" + trainLoss
                + ", learningRate=" + learningRate + ", seconds=" + seconds
                + ", imagesPerSecond=" + imagesPerSecond
                + ", validationAccuracy=" + Arrays.toString(validationAccuracy)
                + ", validationLoss=" + Arrays.toString(validationLoss)
                + ", weights=" + Arrays.toString(weights) + "]";
    }
}
