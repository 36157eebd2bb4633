package dev.anytimenn.eval;

import ai.djl.ndarray.NDManager;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.model.AnytimeNetwork;

/**
 * Every exit's class probabilities for every image of a set: what the evaluation protocols replay
 * offline (each sample's answer at exit k does not depend on where the others stopped).
 *
 * @param probabilities [exit][sample * classes + class]
 */
public record ExitOutputs(int classes, float[][] probabilities, int[] labels) {

    public static ExitOutputs compute(AnytimeNetwork net, NDManager manager, ImageSet set, Normalization norm,
            int batchSize) {
        int k = net.headCount();
        int classes = net.config().classes();
        float[][] probabilities = new float[k][set.size() * classes];
        int[] offset = {0};
        ExitEvaluator.forEachBatch(net, manager, set, norm, batchSize, (batch, logits, scope) -> {
            for (int e = 0; e < k; e++) {
                float[] p = logits.get(e).softmax(1).toFloatArray();
                System.arraycopy(p, 0, probabilities[e], offset[0] * classes, p.length);
            }
            offset[0] += batch.size();
        });
        return new ExitOutputs(classes, probabilities, set.labels().clone());
    }

    public int exits() {
        return probabilities.length;
    }

    public int samples() {
        return labels.length;
    }

    /** scores[exit][sample]. */
    public double[][] scores(ConfidenceScore score) {
        double[][] s = new double[exits()][samples()];
        float[] row = new float[classes];
        for (int e = 0; e < exits(); e++) {
            for (int i = 0; i < samples(); i++) {
                System.arraycopy(probabilities[e], i * classes, row, 0, classes);
                s[e][i] = score.score(row);
            }
        }
        return s;
    }

    /** predictions[exit][sample]: the most probable class. */
    public int[][] predictions() {
        int[][] p = new int[exits()][samples()];
        for (int e = 0; e < exits(); e++) {
            for (int i = 0; i < samples(); i++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (probabilities[e][i * classes + c] > probabilities[e][i * classes + best]) {
                        best = c;
                    }
                }
                p[e][i] = best;
            }
        }
        return p;
    }

    /** Accuracy of each exit. */
    public double[] accuracies() {
        int[][] p = predictions();
        double[] accuracy = new double[exits()];
        for (int e = 0; e < exits(); e++) {
            int correct = 0;
            for (int i = 0; i < samples(); i++) {
                if (p[e][i] == labels[i]) {
                    correct++;
                }
            }
            accuracy[e] = samples() == 0 ? Double.NaN : (double) correct / samples();
        }
        return accuracy;
    }
}
