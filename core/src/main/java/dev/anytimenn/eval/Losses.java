package dev.anytimenn.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/** Cross-entropy from logits, the one definition training and evaluation share. */
public final class Losses {

    private Losses() {}

    /** Labels as the int64 index tensor that picking and comparing with argMax want. */
    public static NDArray labels(NDManager manager, int[] labels) {
        long[] wide = new long[labels.length];
        for (int i = 0; i < labels.length; i++) {
            wide[i] = labels[i];
        }
        return manager.create(wide);
    }

    /** Per-sample cross-entropy of logits (N x classes) against integer labels (N). */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        return logits.logSoftmax(1).get(new NDIndex().addAllDim().addPickDim(labels)).neg();
    }

    /** Mean over the batch, as a 0-d array that can carry a gradient. */
    public static NDArray crossEntropyMean(NDArray logits, NDArray labels) {
        return crossEntropy(logits, labels).mean();
    }

    static double crossEntropySum(NDArray logits, NDArray labels) {
        return crossEntropy(logits, labels).sum().getFloat();
    }
}
