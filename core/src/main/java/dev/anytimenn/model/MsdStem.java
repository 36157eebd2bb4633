package dev.anytimenn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * MSDNet's first layer: a 3x3 conv from the image to the finest scale, then each coarser scale by a
 * BN-ReLU-conv3x3 of stride 2 from the one before. Returns one feature map per scale, finest first.
 */
public final class MsdStem extends AbstractBlock implements MacCounted {

    private final int scales;
    private final int finestWidth;
    private final Conv2d first;
    private final List<PreActConv> down = new ArrayList<>();

    /** @param units channel units: scale w gets {@code options.width(units, w)} channels */
    public MsdStem(int units, MsdNetAnn.Options options) {
        this.scales = options.scales();
        this.finestWidth = options.width(units, 0);
        // no BN-ReLU before the first conv: the image is already normalised, as in ConvStem
        first = addChildBlock("conv", Layers.conv(finestWidth, 3, 1));
        for (int w = 1; w < scales; w++) {
            down.add(addChildBlock("down" + w, new PreActConv(options.width(units, w), 3, 2)));
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList out = new NDList(scales);
        NDArray x = first.forward(ps, inputs, training).singletonOrThrow();
        out.add(x);
        for (PreActConv conv : down) {
            x = conv.forward(ps, new NDList(x), training).singletonOrThrow();
            out.add(x);
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] out = new Shape[scales];
        Shape in = inputShapes[0];
        out[0] = new Shape(in.get(0), finestWidth, in.get(2), in.get(3));
        for (int w = 1; w < scales; w++) {
            out[w] = down.get(w - 1).getOutputShapes(new Shape[] {out[w - 1]})[0];
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        first.initialize(manager, dataType, inputShapes);
        Shape[] out = getOutputShapes(inputShapes);
        for (int w = 1; w < scales; w++) {
            down.get(w - 1).initialize(manager, dataType, out[w - 1]);
        }
    }

    @Override
    public long macs(Shape[] inputShapes) {
        Shape[] out = getOutputShapes(inputShapes);
        long macs = Macs.conv((int) inputShapes[0].get(1), (int) out[0].get(1), 3, out[0].get(2), out[0].get(3));
        for (int w = 1; w < scales; w++) {
            macs += down.get(w - 1).macs(new Shape[] {out[w - 1]});
        }
        return macs;
    }
}
