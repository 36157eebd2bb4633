package dev.anytimenn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Prediction head: BN-ReLU - global average pool - linear, reading the features after a unit. */
public final class ClassifierHead extends AbstractBlock implements MacCounted {

    private final int classes;
    private final BatchNorm bn;
    private final Linear linear;

    public ClassifierHead(int classes) {
        this.classes = classes;
        bn = addChildBlock("bn", Layers.batchNorm());
        linear = addChildBlock("linear", Linear.builder().setUnits(classes).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = Layers.bnRelu(bn, ps, inputs.singletonOrThrow(), training);
        NDArray pooled = Pool.globalAvgPool2d(h);
        return linear.forward(ps, new NDList(pooled), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        bn.initialize(manager, dataType, inputShapes);
        linear.initialize(manager, dataType, new Shape(inputShapes[0].get(0), inputShapes[0].get(1)));
    }

    @Override
    public long macs(Shape[] inputShapes) {
        return Macs.linear(inputShapes[0].get(1), classes);
    }
}
