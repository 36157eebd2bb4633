package dev.anytimenn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** The update against PyTorch's SGD written out by hand, for the weight of a 1x1 linear layer. */
class SgdOptimizerTest {

    /** loss = sum(w * x) has gradient x for the weight, whatever w is. */
    private static void backward(SequentialBlock block, NDManager manager, float x) {
        try (NDManager scope = manager.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray out = block.forward(new ParameterStore(manager, false),
                    new NDList(scope.create(new float[] {x}, new Shape(1, 1))), true).singletonOrThrow();
            gc.backward(out.sum());
        }
    }

    private static SequentialBlock linear(NDManager manager, float w) {
        SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(1).optBias(false).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        block.getParameters().get(0).getValue().getArray().set(new float[] {w});
        return block;
    }

    private static float weight(SequentialBlock block) {
        return block.getParameters().get(0).getValue().getArray().getFloat(0, 0);
    }

    @Test
    void momentumAndDecayMatchTheHandComputedSteps() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = linear(manager, 1f);
            try (SgdOptimizer sgd = new SgdOptimizer(block, manager, 0.9, false, 0.01)) {
                // step 1: d = 0.5 + 0.01*1 = 0.51; v = 0.1*0.51 = 0.051; w = 0.949
                backward(block, manager, 0.5f);
                sgd.step(0.1);
                assertThat(weight(block)).isCloseTo(0.949f, within(1e-6f));
                // step 2: d = 0.5 + 0.00949; v = 0.9*0.051 + 0.1*d = 0.096849; w = 0.852151
                // (the gradient is not accumulated: the first step zeroed it)
                backward(block, manager, 0.5f);
                sgd.step(0.1);
                assertThat(weight(block)).isCloseTo(0.852151f, within(1e-6f));
            }
        }
    }

    @Test
    void nesterovLooksAhead() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = linear(manager, 1f);
            try (SgdOptimizer sgd = new SgdOptimizer(block, manager, 0.9, true, 0.0)) {
                // PyTorch: buf = 0.5; w -= 0.1 * (0.5 + 0.9*0.5) = 0.095 -> 0.905
                backward(block, manager, 0.5f);
                sgd.step(0.1);
                assertThat(weight(block)).isCloseTo(0.905f, within(1e-6f));
                // buf = 0.9*0.5 + 0.5 = 0.95; w -= 0.1 * (0.5 + 0.9*0.95) = 0.1355 -> 0.7695
                backward(block, manager, 0.5f);
                sgd.step(0.1);
                assertThat(weight(block)).isCloseTo(0.7695f, within(1e-6f));
            }
        }
    }

    @Test
    void batchNormScaleAndShiftDoNotDecay() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = new SequentialBlock()
                    .add(BatchNorm.builder().build())
                    .add(Linear.builder().setUnits(1).optBias(false).build());
            block.initialize(manager, DataType.FLOAT32, new Shape(4, 3));
            try (SgdOptimizer sgd = new SgdOptimizer(block, manager, 0.0, false, 0.5)) {
                // beta starts at 0, where decay could not show; give it a value decay would shrink
                array(block, "beta").set(new float[] {0.5f, -1f, 2f});
                float[] gammaBefore = array(block, "gamma").toFloatArray();
                float[] betaBefore = array(block, "beta").toFloatArray();
                float[] weightBefore = array(block, "weight").toFloatArray();
                // no backward: gradients are zero, so only weight decay can move anything
                sgd.step(0.1);
                assertThat(array(block, "gamma").toFloatArray()).containsExactly(gammaBefore);
                assertThat(array(block, "beta").toFloatArray()).containsExactly(betaBefore);
                float[] weightAfter = array(block, "weight").toFloatArray();
                for (int i = 0; i < weightAfter.length; i++) {
                    assertThat(weightAfter[i]).isCloseTo(weightBefore[i] * 0.95f, within(1e-6f));
                }
            }
        }
    }

    private static NDArray array(SequentialBlock block, String name) {
        for (var p : block.getParameters().values()) {
            if (p.getName().equals(name)) {
                return p.getArray();
            }
        }
        throw new AssertionError("no parameter " + name);
    }

    @Test
    void stateRoundTripsThroughEncoding() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = linear(manager, 1f);
            try (SgdOptimizer sgd = new SgdOptimizer(block, manager, 0.9, false, 0.0)) {
                backward(block, manager, 0.5f);
                sgd.step(0.1);
                byte[] saved = sgd.state().encode();
                try (SgdOptimizer other = new SgdOptimizer(block, manager, 0.9, false, 0.0)) {
                    other.loadState(NDList.decode(manager, saved));
                    assertThat(other.state().get(0).toFloatArray()).containsExactly(0.05f);
                }
            }
        }
    }

    @SuppressWarnings("unused")
    private static boolean trainable(Parameter p) {
        return p.requiresGradient();
    }
}
