package dev.anytimenn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One unit of the MSDNet-ANN: a multi-scale dense layer over scales {@code first..scales-1}.
 *
 * <p>Each kept scale w keeps its features and concatenates new ones: a regular branch from scale w
 * and, except at the finest kept scale, a strided branch from scale w-1, each giving half of the
 * scale's growth. The first layer of a later block also drops the finest input scale and squeezes
 * every kept scale with a BN-ReLU-conv1x1 transition first, so a block boundary is one unit and a
 * head can follow any layer.
 */
public final class MsdLayer extends AbstractBlock implements MacCounted {

    private final int first;
    private final int scales;
    private final boolean entersBlock;
    private final List<PreActConv> transitions = new ArrayList<>();
    private final List<MsdBranch> regular = new ArrayList<>();
    /** strided.get(i - 1) feeds kept scale i from kept scale i - 1. */
    private final List<MsdBranch> strided = new ArrayList<>();

    /**
     * @param first the finest scale this layer keeps (0-based, absolute)
     * @param entersBlock whether this is a later block's first layer: its input still holds scale
     *     first - 1, which is dropped, and the kept scales pass through a transition
     * @param units channel units the branches read (after the transition): scale w holds
     *     {@code options.width(units, w)} channels
     * @param options the network's: the layer adds {@code options.width(c, w)} channels at scale w
     */
    public MsdLayer(int first, boolean entersBlock, int units, MsdNetAnn.Options options) {
        this.scales = options.scales();
        if (first < 0 || first >= scales || (entersBlock && first == 0)) {
            throw new IllegalArgumentException("no layer keeps scales from " + first
                    + (entersBlock ? " after dropping one" : ""));
        }
        this.first = first;
        this.entersBlock = entersBlock;
        for (int w = first; w < scales; w++) {
            int in = options.width(units, w);
            int grow = options.width(options.c(), w);
            if (entersBlock) {
                transitions.add(addChildBlock("transition" + w, new PreActConv(in, 1, 1)));
            }
            if (w == first) {
                regular.add(addChildBlock("regular" + w,
                        new MsdBranch(options.bottleneck(in, w, grow), grow, 1)));
            } else {
                // the options make the growth even at every scale but the finest, so the two halves are whole
                int half = grow / 2;
                int inFiner = options.width(units, w - 1);
                strided.add(addChildBlock("strided" + w,
                        new MsdBranch(options.bottleneck(inFiner, w - 1, half), half, 2)));
                regular.add(addChildBlock("regular" + w,
                        new MsdBranch(options.bottleneck(in, w, half), half, 1)));
            }
        }
    }

    private int keptScales() {
        return scales - first;
    }

    private void checkScales(int count) {
        int expected = keptScales() + (entersBlock ? 1 : 0);
        if (count != expected) {
            throw new IllegalArgumentException("layer over scales " + first + ".." + (scales - 1)
                    + " expects " + expected + " input scales, got " + count);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        checkScales(inputs.size());
        NDList x = new NDList(keptScales());
        int offset = entersBlock ? 1 : 0;
        for (int i = 0; i < keptScales(); i++) {
            NDList scale = new NDList(inputs.get(i + offset));
            x.add(entersBlock ? transitions.get(i).forward(ps, scale, training).singletonOrThrow()
                    : scale.singletonOrThrow());
        }
        NDList out = new NDList(keptScales());
        for (int i = 0; i < keptScales(); i++) {
            NDList parts = new NDList(x.get(i));
            if (i > 0) {
                parts.add(strided.get(i - 1).forward(ps, new NDList(x.get(i - 1)), training).singletonOrThrow());
            }
            parts.add(regular.get(i).forward(ps, new NDList(x.get(i)), training).singletonOrThrow());
            out.add(NDArrays.concat(parts, 1));
        }
        return out;
    }

    /** Shapes of the kept scales as the branches read them: after the drop and any transition. */
    private Shape[] branchInputs(Shape[] inputShapes) {
        checkScales(inputShapes.length);
        Shape[] kept = Arrays.copyOfRange(inputShapes, entersBlock ? 1 : 0, inputShapes.length);
        if (entersBlock) {
            for (int i = 0; i < kept.length; i++) {
                kept[i] = transitions.get(i).getOutputShapes(new Shape[] {kept[i]})[0];
            }
        }
        return kept;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] x = branchInputs(inputShapes);
        Shape[] out = new Shape[x.length];
        for (int i = 0; i < x.length; i++) {
            long channels = x[i].get(1) + regular.get(i).getOutputShapes(new Shape[] {x[i]})[0].get(1);
            if (i > 0) {
                channels += strided.get(i - 1).getOutputShapes(new Shape[] {x[i - 1]})[0].get(1);
            }
            out[i] = new Shape(x[i].get(0), channels, x[i].get(2), x[i].get(3));
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        int offset = entersBlock ? 1 : 0;
        for (int i = 0; i < transitions.size(); i++) {
            transitions.get(i).initialize(manager, dataType, inputShapes[i + offset]);
        }
        Shape[] x = branchInputs(inputShapes);
        for (int i = 0; i < x.length; i++) {
            regular.get(i).initialize(manager, dataType, x[i]);
            if (i > 0) {
                strided.get(i - 1).initialize(manager, dataType, x[i - 1]);
            }
        }
    }

    @Override
    public long macs(Shape[] inputShapes) {
        long macs = 0;
        int offset = entersBlock ? 1 : 0;
        for (int i = 0; i < transitions.size(); i++) {
            macs += transitions.get(i).macs(new Shape[] {inputShapes[i + offset]});
        }
        Shape[] x = branchInputs(inputShapes);
        for (int i = 0; i < x.length; i++) {
            macs += regular.get(i).macs(new Shape[] {x[i]});
            if (i > 0) {
                macs += strided.get(i - 1).macs(new Shape[] {x[i - 1]});
            }
        }
        return macs;
    }
}
