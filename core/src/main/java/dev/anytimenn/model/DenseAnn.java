package dev.anytimenn.model;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;

/**
 * DenseANN: DenseNet-BC with heads. A 3x3 stem conv to 2g channels, then 3 dense blocks of n
 * layers with growth rate g ({@code c} in the config); a transition (compression 0.5, 2x2 average
 * pool) opens blocks 2 and 3 inside their first layer, so the L = 3n units are the dense layers.
 * Each head reads BN-ReLU of the concatenated features.
 */
public final class DenseAnn {

    static final int BLOCKS = 3;

    private DenseAnn() {}

    /** The blocks of the network {@code config} describes. */
    public static Architecture.Parts parts(ModelConfig config) {
        int n = config.n();
        int growth = config.c();
        int stemChannels = 2 * growth;
        List<Block> units = new ArrayList<>();
        int channels = stemChannels;
        for (int block = 0; block < BLOCKS; block++) {
            for (int i = 0; i < n; i++) {
                DenseLayer layer = new DenseLayer(channels, growth, block > 0 && i == 0);
                units.add(layer);
                channels = layer.outChannels();
            }
        }
        return new Architecture.Parts(new ConvStem(stemChannels, 3), units, () -> new ClassifierHead(config.classes()));
    }
}
