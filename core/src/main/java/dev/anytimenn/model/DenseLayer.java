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
 * DenseNet-BC layer: BN-ReLU-conv1x1 to the bottleneck width (DenseNet-BC's 4g), BN-ReLU-conv3x3 to
 * g, and the g new channels appended to the input.
 *
 * <p>The first layer of dense blocks 2 and 3 runs the {@link Transition} before it, so that the
 * units of the chain are exactly the dense layers and a head may follow any of them (as ResANN's
 * first unit of a stage carries the stride).
 */
public final class DenseLayer extends AbstractBlock implements MacCounted {

    private final int inChannels;
    private final int growth;
    private final int bottleneck;
    private final Transition transition;
    private final BatchNorm bn1;
    private final Conv2d conv1;
    private final BatchNorm bn2;
    private final Conv2d conv2;

    /**
     * @param inChannels channels of the unit's input (before the transition, if any)
     * @param bottleneck channels of the 1x1 conv
     * @param transition the transition that runs first, made for {@code inChannels}; null for none
     */
    DenseLayer(int inChannels, int growth, int bottleneck, Transition transition) {
        this.inChannels = inChannels;
        this.growth = growth;
        this.bottleneck = bottleneck;
        this.transition = transition == null ? null : addChildBlock("transition", transition);
        bn1 = addChildBlock("bn1", Layers.batchNorm());
        conv1 = addChildBlock("conv1", Layers.conv(bottleneck, 1, 1));
        bn2 = addChildBlock("bn2", Layers.batchNorm());
        conv2 = addChildBlock("conv2", Layers.conv(growth, 3, 1));
    }

    /** Channels this unit outputs. */
    int outChannels() {
        return layerInChannels() + growth;
    }

    /** Channels the dense layer itself reads: after the transition, if any. */
    private int layerInChannels() {
        return transition == null ? inChannels : transition.outChannels();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = transition == null ? inputs : transition.forward(ps, inputs, training);
        NDArray h = Layers.bnRelu(bn1, ps, x.singletonOrThrow(), training);
        h = conv1.forward(ps, new NDList(h), training).singletonOrThrow();
        h = Layers.bnRelu(bn2, ps, h, training);
        h = conv2.forward(ps, new NDList(h), training).singletonOrThrow();
        return new NDList(x.singletonOrThrow().concat(h, 1));
    }

    private Shape[] layerInput(Shape[] inputShapes) {
        return transition == null ? inputShapes : transition.getOutputShapes(inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = layerInput(inputShapes)[0];
        return new Shape[] {new Shape(in.get(0), outChannels(), in.get(2), in.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] x = inputShapes;
        if (transition != null) {
            transition.initialize(manager, dataType, x);
            x = transition.getOutputShapes(x);
        }
        bn1.initialize(manager, dataType, x);
        conv1.initialize(manager, dataType, x);
        Shape[] mid = conv1.getOutputShapes(x);
        bn2.initialize(manager, dataType, mid);
        conv2.initialize(manager, dataType, mid);
    }

    @Override
    public long macs(Shape[] inputShapes) {
        long macs = transition == null ? 0 : transition.macs(inputShapes);
        Shape in = layerInput(inputShapes)[0];
        long h = in.get(2);
        long w = in.get(3);
        return macs + Macs.conv(layerInChannels(), bottleneck, 1, h, w) + Macs.conv(bottleneck, growth, 3, h, w);
    }
}
