package dev.anytimenn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * BN-ReLU-conv k x k with "same" padding and an optional stride.
 *
 * <p>Pre-activation order, as in the project's ResANN and in DenseNet-BC: features are stored raw, and
 * every reader normalises its own input, which is what lets dense concatenations share features.
 */
public final class PreActConv extends AbstractBlock implements MacCounted {

    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final BatchNorm bn;
    private final Conv2d conv;

    public PreActConv(int outChannels, int kernel, int stride) {
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        bn = addChildBlock("bn", Layers.batchNorm());
        conv = addChildBlock("conv", Layers.conv(outChannels, kernel, stride));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = Layers.bnRelu(bn, ps, inputs.singletonOrThrow(), training);
        return conv.forward(ps, new NDList(h), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        int h = Macs.convOutput((int) in.get(2), kernel, stride, kernel / 2);
        int w = Macs.convOutput((int) in.get(3), kernel, stride, kernel / 2);
        return new Shape[] {new Shape(in.get(0), outChannels, h, w)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        bn.initialize(manager, dataType, inputShapes);
        conv.initialize(manager, dataType, inputShapes);
    }

    @Override
    public long macs(Shape[] inputShapes) {
        Shape out = getOutputShapes(inputShapes)[0];
        return Macs.conv((int) inputShapes[0].get(1), outChannels, kernel, out.get(2), out.get(3));
    }
}
