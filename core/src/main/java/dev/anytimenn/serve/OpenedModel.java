package dev.anytimenn.serve;

import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.AnytimePredictor;
import dev.anytimenn.infer.ExitThresholds;
import dev.anytimenn.infer.InferenceEngine;
import dev.anytimenn.infer.Prediction;
import dev.anytimenn.infer.RowListener;
import dev.anytimenn.infer.StoppingPolicy;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.model.InputShape;
import java.util.List;
import java.util.Optional;

/**
 * A model opened with {@link AnytimeModel#open}; each worker gets a predictor of its own on its parameters,
 * run by the chosen engine.
 */
public final class OpenedModel implements ServedModel {

    private final AnytimeModel model;
    private final InferenceEngine engine;

    public OpenedModel(AnytimeModel model, InferenceEngine engine) {
        this.model = model;
        this.engine = engine;
    }

    @Override
    public InputShape inputShape() {
        return model.inputShape();
    }

    @Override
    public List<String> classNames() {
        return model.classNames();
    }

    @Override
    public List<ExitCost> exits() {
        return model.exitCosts();
    }

    @Override
    public Optional<ExitThresholds> thresholds() {
        return model.thresholds();
    }

    @Override
    public Runner newRunner(int largestBatch) {
        AnytimePredictor predictor = model.predictor(engine);
        predictor.warmUpBatches(largestBatch);
        return new Runner() {
            @Override
            public List<Prediction> run(List<byte[]> images, List<? extends StoppingPolicy> policies,
                    RowListener listener) {
                return predictor.runRows(images, policies, listener);
            }

            @Override
            public double expectedMsToFirstExit(int batch) {
                return predictor.expectedMsToFirstExit(batch);
            }
        };
    }

    @Override
    public void close() {
        model.close();
    }
}
