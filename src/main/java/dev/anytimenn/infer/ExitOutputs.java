package dev.anytimenn.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.anytimenn.data.Batch;
import dev.anytimenn.data.BatchLoader;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.engine.EngineGuard;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.ConvolutionCases;

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
        EngineGuard.requireSoundConvolutions(manager, ConvolutionCases.of(net));
        ParameterStore ps = new ParameterStore(manager, false);
        int offset = 0;
        try (BatchLoader loader = BatchLoader.forEvaluation(set, norm, batchSize)) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.create(batch.images(), net.config().input().batchShape(batch.size()));
                    NDList logits = net.forward(ps, new NDList(x), false);
                    for (int e = 0; e < k; e++) {
                        float[] p = logits.get(e).softmax(1).toFloatArray();
                        System.arraycopy(p, 0, probabilities[e], offset * classes, p.length);
                    }
                }
                offset += batch.size();
            }
        }
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
