package dev.anytimenn.model;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;

/**
 * ResANN: a pre-activation ResNet with heads, as in the paper's code. A 3x3 stem conv to c
 * channels, then 3 stages of n basic units of widths c, 2c, 4c; the first unit of stages 2 and 3
 * halves the resolution.
 */
public final class ResAnn {

    static final int STAGES = 3;

    private ResAnn() {}

    /** The blocks of the network {@code config} describes. */
    public static Architecture.Parts parts(ModelConfig config) {
        int n = config.n();
        int c = config.c();
        List<Block> units = new ArrayList<>();
        int width = c;
        for (int stage = 0; stage < STAGES; stage++) {
            int stageWidth = c << stage;
            for (int i = 0; i < n; i++) {
                int stride = stage > 0 && i == 0 ? 2 : 1;
                units.add(new ResidualUnit(width, stageWidth, stride));
                width = stageWidth;
            }
        }
        return new Architecture.Parts(new ConvStem(c, 3), units, () -> new ClassifierHead(config.classes()));
    }
}
