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

/**
 * MSDNet's classifier: reads the coarsest scale through two BN-ReLU-conv3x3 of stride 2 (7 -> 4 -> 2
 * on 28 px inputs), then BN-ReLU - global average pool - linear as {@link ClassifierHead} does.
 */
public final class MsdHead extends AbstractBlock implements MacCounted {

    private final int width;
    private final int classes;
    private final PreActConv conv1;
    private final PreActConv conv2;
    private final BatchNorm bn;
    private final Linear linear;

    public MsdHead(int width, int classes) {
        this.width = width;
        this.classes = classes;
        conv1 = addChildBlock("conv1", new PreActConv(width, 3, 2));
        conv2 = addChildBlock("conv2", new PreActConv(width, 3, 2));
        bn = addChildBlock("bn", Layers.batchNorm());
        linear = addChildBlock("linear", Linear.builder().setUnits(classes).build());
    }

    private static Shape[] coarsest(Shape[] scales) {
        return new Shape[] {scales[scales.length - 1]};
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = new NDList(inputs.get(inputs.size() - 1));
        x = conv2.forward(ps, conv1.forward(ps, x, training), training);
        NDArray h = Layers.bnRelu(bn, ps, x.singletonOrThrow(), training);
        return linear.forward(ps, new NDList(Pool.globalAvgPool2d(h)), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] x = coarsest(inputShapes);
        conv1.initialize(manager, dataType, x);
        x = conv1.getOutputShapes(x);
        conv2.initialize(manager, dataType, x);
        x = conv2.getOutputShapes(x);
        bn.initialize(manager, dataType, x);
        linear.initialize(manager, dataType, new Shape(x[0].get(0), width));
    }

    @Override
    public long macs(Shape[] inputShapes) {
        Shape[] x = coarsest(inputShapes);
        Shape[] mid = conv1.getOutputShapes(x);
        return conv1.macs(x) + conv2.macs(mid) + Macs.linear(width, classes);
    }
}
