package dev.anytimenn.model;

import ai.djl.nn.Block;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * MSDNet-ANN: a multi-scale dense network (MSDNet, Huang et al. 2018) for 28-32 px inputs, with a
 * head after every s-th layer.
 *
 * <p>By default three scales at H, H/2 and H/4 (stride-2 3x3 convs with padding 1: 28 -> 14 -> 7,
 * 30 -> 15 -> 8). Widths are counted in channel units: scale w holds {@code units * growthFactors[w]}
 * channels, as the reference's grFactor 1-2-4. The options ({@link Options}):
 * <ul>
 *   <li>{@code n}: layers per block; one block per scale, so L = scales x n units. Block b works on
 *       scales b..scales-1: its first layer drops the finest scale and halves the units at every kept
 *       scale (floor, the reference's reduction 0.5) with BN-ReLU-conv1x1 transitions.
 *   <li>{@code c}: the growth rate; a layer adds {@code c * growthFactors[w]} channels at scale w,
 *       half from each branch where two feed it. Bottlenecks are {@code min(input, bottleneckFactors[w]
 *       x branch output)} wide (the reference's bnFactor 1-2-4).
 *   <li>Stem units ceil(8c/3): the reference's CIFAR ratio nChannels : growth = 16 : 6, so c = 6
 *       gives its 16 / 32 / 64 stem channels.
 *   <li>Head width 2 x the stem's coarsest width: 128 at c = 6 with the default factors, the
 *       reference's fixed 128, and the same for every head so early heads are no cheaper to read.
 * </ul>
 *
 * <p>Differences from kalviny/MSDNet-PyTorch: pre-activation order (BN-ReLU-conv, the same convs so
 * the same MACs), global average pooling in the head, and the finest scale is dropped before a
 * block's first layer rather than read once more by it, so every unit is exactly one layer.
 */
public final class MsdNetAnn {

    private MsdNetAnn() {}

    /** MSDNet's options. */
    public record Options(
            @JsonPropertyDescription("layers per block; one block per scale") int n,
            @JsonPropertyDescription("growth rate: a layer adds c x growthFactors[w] channels at scale w") int c,
            @JsonPropertyDescription("scales, each half the resolution of the one before") int scales,
            @JsonPropertyDescription("channel multiplier per scale, finest first (the reference's grFactor)")
            List<Integer> growthFactors,
            @JsonPropertyDescription("bottleneck multiplier per scale, finest first (the reference's bnFactor)")
            List<Integer> bottleneckFactors) implements ArchitectureOptions {

        /** The demo's size with the reference's three scales and factors 1-2-4. */
        public static final Options DEFAULTS = new Options(2, 16, 3, List.of(1, 2, 4), List.of(1, 2, 4));

        public Options {
            ArchitectureOptions.atLeast("n", n, 1);
            ArchitectureOptions.atLeast("c", c, 1);
            ArchitectureOptions.atLeast("scales", scales, 1);
            growthFactors = perScale("growthFactors", growthFactors, scales);
            bottleneckFactors = perScale("bottleneckFactors", bottleneckFactors, scales);
            for (int w = 1; w < scales; w++) {
                if (c * growthFactors.get(w) % 2 != 0) {
                    throw new IllegalArgumentException("growthFactors: c x growthFactors[" + w + "] = " + c + " x "
                            + growthFactors.get(w) + " is odd; a coarser scale's new channels come half from each"
                            + " of two branches, so it must be even");
                }
            }
        }

        private static List<Integer> perScale(String option, List<Integer> factors, int scales) {
            if (factors == null || factors.size() != scales) {
                throw new IllegalArgumentException(option + " must have one factor per scale (" + scales + "), got "
                        + factors);
            }
            for (Integer f : factors) {
                if (f == null || f < 1) {
                    throw new IllegalArgumentException(option + " must be at least 1 each, got " + factors);
                }
            }
            return List.copyOf(factors);
        }

        /** Channels of scale {@code w} for {@code units} channel units. */
        int width(int units, int w) {
            return units * growthFactors.get(w);
        }

        /** The reference's bottleneck: at most bnFactor x the branch output, never wider than the input. */
        int bottleneck(int inChannels, int w, int outChannels) {
            return Math.min(inChannels, bottleneckFactors.get(w) * outChannels);
        }
    }

    /** Stem channel units: ceil(8c / 3). */
    static int stemUnits(int c) {
        return (8 * c + 2) / 3;
    }

    /** The blocks of the network {@code options} describe. */
    static Architecture.Parts parts(Options options, int classes) {
        int c = options.c();
        int units = stemUnits(c);
        int headWidth = 2 * options.width(units, options.scales() - 1);
        MsdStem stem = new MsdStem(units, options);
        List<Block> layers = new ArrayList<>();
        for (int block = 0; block < options.scales(); block++) {
            for (int i = 0; i < options.n(); i++) {
                boolean entersBlock = block > 0 && i == 0;
                if (entersBlock) {
                    units /= 2;
                }
                layers.add(new MsdLayer(block, entersBlock, units, options));
                units += c;
            }
        }
        return new Architecture.Parts(stem, layers, () -> new MsdHead(headWidth, classes));
    }
}
