package dev.anytimenn.model;

import ai.djl.nn.Block;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * DenseANN: DenseNet-BC with heads. A 3x3 stem conv to 2g channels, then 3 dense blocks of n
 * layers with growth rate g ({@code c}); a transition (BN-ReLU-conv1x1 compressing the channels,
 * 2x2 average pool) opens blocks 2 and 3 inside their first layer, so the L = 3n units are the dense
 * layers. Each head reads BN-ReLU of the concatenated features.
 */
public final class DenseAnn {

    static final int BLOCKS = 3;

    private DenseAnn() {}

    /** DenseANN's options. */
    public record Options(
            @JsonPropertyDescription("dense layers per block, 3 blocks") int n,
            @JsonPropertyDescription("growth rate: channels each layer adds; the stem has 2c") int c,
            @JsonPropertyDescription("channels a transition keeps, as a fraction (rounded down)") double compression,
            @JsonPropertyDescription("bottleneck width of a layer's 1x1 conv, in multiples of c") int bottleneck)
            implements ArchitectureOptions {

        /** The demo's size with DenseNet-BC's compression 0.5 and bottleneck 4c. */
        public static final Options DEFAULTS = new Options(2, 16, 0.5, 4);

        public Options {
            ArchitectureOptions.atLeast("n", n, 1);
            ArchitectureOptions.atLeast("c", c, 1);
            if (!(compression > 0 && compression <= 1)) {
                throw new IllegalArgumentException("compression must be in (0, 1], got " + compression);
            }
            ArchitectureOptions.atLeast("bottleneck", bottleneck, 1);
        }
    }

    /** The blocks of the network {@code options} describe. */
    static Architecture.Parts parts(Options options, int classes) {
        int growth = options.c();
        int stemChannels = 2 * growth;
        List<Block> units = new ArrayList<>();
        int channels = stemChannels;
        for (int block = 0; block < BLOCKS; block++) {
            for (int i = 0; i < options.n(); i++) {
                Transition transition = block > 0 && i == 0 ? new Transition(channels, options.compression()) : null;
                DenseLayer layer = new DenseLayer(channels, growth, options.bottleneck() * growth, transition);
                units.add(layer);
                channels = layer.outChannels();
            }
        }
        return new Architecture.Parts(new ConvStem(stemChannels, 3), units, () -> new ClassifierHead(classes));
    }
}
