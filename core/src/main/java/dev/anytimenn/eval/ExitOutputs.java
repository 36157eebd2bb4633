package dev.anytimenn.eval;

import ai.djl.ndarray.NDManager;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.infer.InferenceEngine;
import dev.anytimenn.infer.Softmax;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.ort.OrtSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every exit's class probabilities for every image of a set: what the evaluation protocols replay
 * offline (each sample's answer at exit k does not depend on where the others stopped).
 *
 * @param probabilities [exit][sample * classes + class]
 */
public record ExitOutputs(int classes, float[][] probabilities, int[] labels) {

    /** Every exit's probabilities over {@code set}, computed by {@code engine}'s whole-network run. */
    public static ExitOutputs compute(AnytimeModel model, ImageSet set, InferenceEngine engine, int batchSize) {
        if (engine instanceof InferenceEngine.OnnxRuntime ort) {
            return computeWithOnnxRuntime(model, set, ort.settings(), batchSize);
        }
        return computeWithDjl(model.network(), model.manager(), set, model.normalization(), batchSize);
    }

    private static ExitOutputs computeWithOnnxRuntime(AnytimeModel model, ImageSet set, OrtSettings settings,
            int batchSize) {
        int k = model.exitCosts().size();
        int classes = model.classNames().size();
        float[][] probabilities = new float[k][set.size() * classes];
        int size = set.imageSize();
        for (int from = 0; from < set.size(); from += batchSize) {
            int to = Math.min(set.size(), from + batchSize);
            List<byte[]> images = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                images.add(Arrays.copyOfRange(set.pixels(), i * size, (i + 1) * size));
            }
            float[][] logits = model.exitLogits(images, settings);
            for (int e = 0; e < k; e++) {
                float[] p = Softmax.rows(logits[e], classes);
                System.arraycopy(p, 0, probabilities[e], from * classes, p.length);
            }
        }
        return new ExitOutputs(classes, probabilities, set.labels().clone());
    }

    private static ExitOutputs computeWithDjl(AnytimeNetwork net, NDManager manager, ImageSet set, Normalization norm,
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
