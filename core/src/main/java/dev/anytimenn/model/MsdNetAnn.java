package dev.anytimenn.model;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;

/**
 * MSDNet-ANN: a multi-scale dense network (MSDNet, Huang et al. 2018) for 28-32 px inputs, with a
 * head after every s-th layer.
 *
 * <p>Three scales at H, H/2 and H/4 (stride-2 3x3 convs with padding 1: 28 -> 14 -> 7, 30 -> 15 -> 8).
 * Widths are counted in channel units: scale w holds {@code units * SCALE_WIDTH[w]} channels, as the
 * reference's grFactor 1-2-4. How {@link ModelConfig} maps onto it:
 * <ul>
 *   <li>{@code n}: layers per block; 3 blocks, so L = 3n units. Block b works on scales b..2: its
 *       first layer drops the finest scale and halves the units at every kept scale (floor, the
 *       reference's reduction 0.5) with BN-ReLU-conv1x1 transitions.
 *   <li>{@code c}: the growth rate; a layer adds {@code c * SCALE_WIDTH[w]} channels at scale w,
 *       half from each branch where two feed it. Bottlenecks are {@code min(input, BOTTLENECK[w] x
 *       branch output)} wide (the reference's bnFactor 1-2-4).
 *   <li>Stem units ceil(8c/3): the reference's CIFAR ratio nChannels : growth = 16 : 6, so c = 6
 *       gives its 16 / 32 / 64 stem channels.
 *   <li>Head width 2 x the stem's coarsest width (8 x stem units): 128 at c = 6, the reference's
 *       fixed 128, and the same for every head so early heads are no cheaper to read.
 *   <li>{@code s}: head stride over the L layers ({@link HeadPlacement}); {@code classes} and
 *       {@code input} as for every architecture.
 * </ul>
 *
 * <p>Differences from kalviny/MSDNet-PyTorch: pre-activation order (BN-ReLU-conv, the same convs so
 * the same MACs), global average pooling in the head, and the finest scale is dropped before a
 * block's first layer rather than read once more by it, so every unit is exactly one layer.
 */
public final class MsdNetAnn {

    static final int SCALES = 3;
    /** Channel multiplier per scale, finest first (grFactor). */
    static final int[] SCALE_WIDTH = {1, 2, 4};
    /** Bottleneck multiplier per scale a branch reads (bnFactor). */
    static final int[] BOTTLENECK = {1, 2, 4};

    private MsdNetAnn() {}

    /** Stem channel units: ceil(8c / 3). */
    static int stemUnits(int c) {
        return (8 * c + 2) / 3;
    }

    /** The blocks of the network {@code config} describes. */
    public static Architecture.Parts parts(ModelConfig config) {
        int n = config.n();
        int c = config.c();
        int units = stemUnits(c);
        int headWidth = 2 * SCALE_WIDTH[SCALES - 1] * units;
        MsdStem stem = new MsdStem(units);
        List<Block> layers = new ArrayList<>();
        for (int block = 0; block < SCALES; block++) {
            for (int i = 0; i < n; i++) {
                boolean entersBlock = block > 0 && i == 0;
                if (entersBlock) {
                    units /= 2;
                }
                layers.add(new MsdLayer(block, entersBlock, units, c));
                units += c;
            }
        }
        return new Architecture.Parts(stem, layers, () -> new MsdHead(headWidth, config.classes()));
    }
}
