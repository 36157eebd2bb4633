package dev.anytimenn.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.anytimenn.data.Batch;
import dev.anytimenn.data.BatchLoader;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.EngineSetup;

/**
 * Runs every exit of a network over a data set, in inference mode: the one loop that the exits
 * protocol ({@link #evaluate}) and the offline replay of the other protocols ({@link ExitOutputs})
 * share.
 */
public final class ExitEvaluator {

    private ExitEvaluator() {}

    /** What to do with one batch's logits (one array per exit); arrays made in {@code scope} are freed after. */
    @FunctionalInterface
    public interface BatchVisitor {
        void visit(Batch batch, NDList logits, NDManager scope);
    }

    /** Runs the full forward over {@code set} in batches, in order, and hands each batch's logits on. */
    public static void forEachBatch(AnytimeNetwork net, NDManager manager, ImageSet set, Normalization norm,
            int batchSize, BatchVisitor visitor) {
        EngineSetup.prepare(net, manager);
        ParameterStore ps = new ParameterStore(manager, false);
        try (BatchLoader loader = BatchLoader.forEvaluation(set, norm, batchSize)) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.create(batch.images(), net.config().input().batchShape(batch.size()));
                    visitor.visit(batch, net.forward(ps, new NDList(x), false), scope);
                }
            }
        }
    }

    /** Accuracy and mean cross-entropy of every exit: the exits protocol. */
    public static ExitMetrics evaluate(AnytimeNetwork net, NDManager manager, ImageSet set,
            Normalization norm, int batchSize) {
        return evaluateImages(net, manager, set, norm, batchSize).metrics();
    }

    /**
     * The exits protocol, keeping each image's label and every exit's predicted class.
     *
     * @param labels per image, in set order
     * @param predicted per exit, per image, the arg-max class
     */
    public record ImageResults(ExitMetrics metrics, int[] labels, int[][] predicted) {}

    /** As {@link #evaluate}, with the per-image predictions that paired tests between runs need. */
    public static ImageResults evaluateImages(AnytimeNetwork net, NDManager manager, ImageSet set,
            Normalization norm, int batchSize) {
        int k = net.headCount();
        int n = set.size();
        double[] lossSum = new double[k];
        int[] labels = new int[n];
        int[][] predicted = new int[k][n];
        int[] done = {0};
        forEachBatch(net, manager, set, norm, batchSize, (batch, logits, scope) -> {
            NDArray y = Losses.labels(scope, batch.labels());
            int offset = done[0];
            for (int i = 0; i < k; i++) {
                NDArray out = logits.get(i);
                lossSum[i] += Losses.crossEntropySum(out, y);
                long[] p = out.argMax(1).toLongArray();
                for (int j = 0; j < p.length; j++) {
                    predicted[i][offset + j] = (int) p[j];
                }
            }
            for (int j = 0; j < batch.size(); j++) {
                labels[offset + j] = batch.labels()[j];
            }
            done[0] = offset + batch.size();
        });
        double[] accuracy = new double[k];
        double[] loss = new double[k];
        for (int i = 0; i < k; i++) {
            long correct = 0;
            for (int j = 0; j < n; j++) {
                correct += predicted[i][j] == labels[j] ? 1 : 0;
            }
            accuracy[i] = n == 0 ? Double.NaN : (double) correct / n;
            loss[i] = n == 0 ? Double.NaN : lossSum[i] / n;
        }
        return new ImageResults(new ExitMetrics(accuracy, loss, n), labels, predicted);
    }
}
