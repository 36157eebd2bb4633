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

    public static AnytimeNetwork build(ModelConfig config) {
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
        units = config.truncate(units);
        int[] after = HeadPlacement.unitsWithHeads(units.size(), config.s());
        List<Block> heads = new ArrayList<>();
        for (int k = 0; k < after.length; k++) {
            heads.add(new ClassifierHead(config.classes()));
        }
        return new AnytimeNetwork(config, new ConvStem(c, 3), units, heads, after);
    }
}
