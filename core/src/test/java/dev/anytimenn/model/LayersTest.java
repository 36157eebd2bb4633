package dev.anytimenn.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class LayersTest {

    private static final Shape INPUT = new Shape(4, 3, 5, 5);

    /** The direct BN-ReLU gives what DJL's BatchNorm block followed by ReLU gives, bit for bit. */
    @Test
    void bnReluMatchesDjlsBatchNormBlock() {
        try (NDManager manager = NDManager.newBaseManager()) {
            BatchNorm viaBlock = twin(manager);
            BatchNorm direct = twin(manager);
            ParameterStore ps = new ParameterStore(manager, false);
            Engine.getInstance().setRandomSeed(3);
            NDArray input = manager.randomNormal(2f, 3f, INPUT, DataType.FLOAT32);

            // training: outputs, input gradients and the updated running statistics
            NDArray x1 = input.duplicate();
            NDArray x2 = input.duplicate();
            x1.setRequiresGradient(true);
            x2.setRequiresGradient(true);
            NDArray upstream = manager.randomNormal(INPUT);
            NDArray y1;
            NDArray y2;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                y1 = Activation.relu(viaBlock.forward(ps, new NDList(x1), true).singletonOrThrow());
                collector.backward(y1.mul(upstream).sum());
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                y2 = Layers.bnRelu(direct, ps, x2, true);
                collector.backward(y2.mul(upstream).sum());
            }
            assertThat(y2.toFloatArray()).containsExactly(y1.toFloatArray());
            assertThat(x2.getGradient().toFloatArray()).containsExactly(x1.getGradient().toFloatArray());
            for (String name : new String[] {"runningMean", "runningVar"}) {
                float[] updated = parameter(direct, name);
                assertThat(updated).as(name).containsExactly(parameter(viaBlock, name));
                assertThat(updated).as(name + " moved off its start").isNotEqualTo(name.equals("runningMean")
                        ? new float[] {0f, 0f, 0f} : new float[] {1f, 1f, 1f});
            }

            // inference: the running statistics are used and left alone
            NDArray inferred = Layers.bnRelu(direct, ps, input, false);
            NDArray expected = Activation.relu(viaBlock.forward(ps, new NDList(input), false).singletonOrThrow());
            assertThat(inferred.toFloatArray()).containsExactly(expected.toFloatArray());
            assertThat(parameter(direct, "runningMean")).containsExactly(parameter(viaBlock, "runningMean"));
        }
    }

    private static BatchNorm twin(NDManager manager) {
        BatchNorm bn = Layers.batchNorm();
        bn.initialize(manager, DataType.FLOAT32, INPUT);
        // a scale and shift that are not the identity, the same in both twins
        bn.getDirectParameters().get("gamma").getArray().set(new float[] {0.5f, 1.5f, -1f});
        bn.getDirectParameters().get("beta").getArray().set(new float[] {0.1f, -0.2f, 0.3f});
        return bn;
    }

    private static float[] parameter(BatchNorm bn, String name) {
        return bn.getDirectParameters().get(name).getArray().toFloatArray();
    }
}
