package dev.anytimenn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DenseNet-BC transition between dense blocks: BN-ReLU-conv1x1 keeping a fraction of the channels
 * (the compression, DenseNet-BC's 0.5; rounded down), then 2x2 average pooling with stride 2.
 *
 * <p>Pooling rounds odd sizes down (ceil mode off, as DenseNet does): 15 -> 7. The 1x1 conv runs
 * before the pooling, so its MACs are counted at the larger resolution.
 */
public final class Transition extends AbstractBlock implements MacCounted {

    private static final Shape POOL = new Shape(2, 2);
    private static final Shape NO_PADDING = new Shape(0, 0);

    private final int outChannels;
    private final PreActConv compress;

    /** @param compression the fraction of the channels kept, in (0, 1] */
    Transition(int inChannels, double compression) {
        outChannels = (int) Math.floor(compression * inChannels);
        if (outChannels < 1) {
            throw new IllegalArgumentException("compression " + compression + " keeps no channel of " + inChannels);
        }
        compress = addChildBlock("compress", new PreActConv(outChannels, 1, 1));
    }

    /** Channels after compression. */
    int outChannels() {
        return outChannels;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = compress.forward(ps, inputs, training).singletonOrThrow();
        return new NDList(Pool.avgPool2d(h, POOL, POOL, NO_PADDING, false, false));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape compressed = compress.getOutputShapes(inputShapes)[0];
        int h = Macs.convOutput((int) compressed.get(2), 2, 2, 0);
        int w = Macs.convOutput((int) compressed.get(3), 2, 2, 0);
        return new Shape[] {new Shape(compressed.get(0), compressed.get(1), h, w)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        compress.initialize(manager, dataType, inputShapes);
    }

    @Override
    public long macs(Shape[] inputShapes) {
        return compress.macs(inputShapes);
    }
}
