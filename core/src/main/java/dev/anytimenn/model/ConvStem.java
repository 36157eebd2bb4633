package dev.anytimenn.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A single k x k convolution (stride 1, same padding) from the image to the first width. */
public final class ConvStem extends AbstractBlock implements MacCounted {

    private final int outChannels;
    private final int kernel;
    private final Conv2d conv;

    public ConvStem(int outChannels, int kernel) {
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.conv = addChildBlock("conv", Layers.conv(outChannels, kernel, 1));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return conv.forward(ps, inputs, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
    }

    @Override
    public long macs(Shape[] inputShapes) {
        Shape out = getOutputShapes(inputShapes)[0];
        int inChannels = (int) inputShapes[0].get(1);
        return Macs.conv(inChannels, outChannels, kernel, out.get(2), out.get(3));
    }
}
