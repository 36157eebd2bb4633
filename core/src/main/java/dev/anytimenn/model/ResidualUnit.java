package dev.anytimenn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Pre-activation basic unit: BN-ReLU-conv3x3(stride)-BN-ReLU-conv3x3, added to the shortcut.
 *
 * <p>A downsampling unit's shortcut is 2x2 average pooling plus zero channels (no 1x1 conv), as in
 * the paper's ResANN, so the unit adds no parameters beyond its two convolutions.
 */
public final class ResidualUnit extends AbstractBlock implements MacCounted {

    private static final Shape POOL = new Shape(2, 2);
    private static final Shape NO_PADDING = new Shape(0, 0);

    private final int inChannels;
    private final int outChannels;
    private final int stride;
    private final BatchNorm bn1;
    private final Conv2d conv1;
    private final BatchNorm bn2;
    private final Conv2d conv2;

    public ResidualUnit(int inChannels, int outChannels, int stride) {
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("unit stride must be 1 or 2, got " + stride);
        }
        if (outChannels < inChannels) {
            throw new IllegalArgumentException("a unit cannot narrow the width: " + inChannels + " -> " + outChannels);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.stride = stride;
        bn1 = addChildBlock("bn1", Layers.batchNorm());
        conv1 = addChildBlock("conv1", Layers.conv(outChannels, 3, stride));
        bn2 = addChildBlock("bn2", Layers.batchNorm());
        conv2 = addChildBlock("conv2", Layers.conv(outChannels, 3, 1));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray h = Layers.bnRelu(bn1, ps, x, training);
        h = conv1.forward(ps, new NDList(h), training).singletonOrThrow();
        h = Layers.bnRelu(bn2, ps, h, training);
        h = conv2.forward(ps, new NDList(h), training).singletonOrThrow();
        return new NDList(h.addi(shortcut(x)));
    }

    private NDArray shortcut(NDArray x) {
        if (stride == 1 && inChannels == outChannels) {
            return x;
        }
        NDArray s = x;
        if (stride != 1) {
            // ceil mode keeps odd sizes in step with the strided convolution (7 -> 4, not 3)
            s = Pool.avgPool2d(x, POOL, POOL, NO_PADDING, true, false);
        }
        if (outChannels > inChannels) {
            Shape shape = s.getShape();
            NDArray zeros = s.getManager().zeros(
                    new Shape(shape.get(0), outChannels - inChannels, shape.get(2), shape.get(3)),
                    s.getDataType(), s.getDevice());
            s = s.concat(zeros, 1);
        }
        return s;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        int h = Macs.convOutput((int) in.get(2), 3, stride, 1);
        int w = Macs.convOutput((int) in.get(3), 3, stride, 1);
        return new Shape[] {new Shape(in.get(0), outChannels, h, w)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        bn1.initialize(manager, dataType, inputShapes);
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] mid = conv1.getOutputShapes(inputShapes);
        bn2.initialize(manager, dataType, mid);
        conv2.initialize(manager, dataType, mid);
    }

    @Override
    public long macs(Shape[] inputShapes) {
        Shape out = getOutputShapes(inputShapes)[0];
        long h = out.get(2);
        long w = out.get(3);
        return Macs.conv(inChannels, outChannels, 3, h, w) + Macs.conv(outChannels, outChannels, 3, h, w);
    }
}
