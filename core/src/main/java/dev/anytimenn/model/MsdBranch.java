package dev.anytimenn.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One source of new features for a scale in an MSDNet layer: a BN-ReLU-conv1x1 bottleneck, then
 * BN-ReLU-conv3x3, with stride 2 when the branch reads the next finer scale.
 */
public final class MsdBranch extends AbstractBlock implements MacCounted {

    private final PreActConv bottleneck;
    private final PreActConv conv;

    public MsdBranch(int bottleneckWidth, int outChannels, int stride) {
        bottleneck = addChildBlock("bottleneck", new PreActConv(bottleneckWidth, 1, 1));
        conv = addChildBlock("conv", new PreActConv(outChannels, 3, stride));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return conv.forward(ps, bottleneck.forward(ps, inputs, training), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(bottleneck.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        bottleneck.initialize(manager, dataType, inputShapes);
        conv.initialize(manager, dataType, bottleneck.getOutputShapes(inputShapes));
    }

    @Override
    public long macs(Shape[] inputShapes) {
        return bottleneck.macs(inputShapes) + conv.macs(bottleneck.getOutputShapes(inputShapes));
    }
}
