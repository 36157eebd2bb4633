package dev.anytimenn.eval;

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

/** Evaluates every exit of a network on a data set, in inference mode. */
public final class ExitEvaluator {

    private ExitEvaluator() {}

    public static ExitMetrics evaluate(AnytimeNetwork net, NDManager manager, ImageSet set,
            Normalization norm, int batchSize) {
        int k = net.headCount();
        long[] correct = new long[k];
        double[] lossSum = new double[k];
        EngineGuard.requireSoundConvolutions(manager, ConvolutionCases.of(net));
        ParameterStore ps = new ParameterStore(manager, false);
        try (BatchLoader loader = BatchLoader.forEvaluation(set, norm, batchSize)) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.create(batch.images(), net.config().input().batchShape(batch.size()));
                    NDArray y = Losses.labels(scope, batch.labels());
                    NDList logits = net.forward(ps, new NDList(x), false);
                    for (int i = 0; i < k; i++) {
                        NDArray out = logits.get(i);
                        correct[i] += out.argMax(1).eq(y).sum().getLong();
                        lossSum[i] += Losses.crossEntropySum(out, y);
                    }
                }
            }
        }
        double[] accuracy = new double[k];
        double[] loss = new double[k];
        int n = set.size();
        for (int i = 0; i < k; i++) {
            accuracy[i] = n == 0 ? Double.NaN : (double) correct[i] / n;
            loss[i] = n == 0 ? Double.NaN : lossSum[i] / n;
        }
        return new ExitMetrics(accuracy, loss, n);
    }
}
