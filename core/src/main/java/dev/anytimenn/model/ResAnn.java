package dev.anytimenn.model;

import ai.djl.nn.Block;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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

    /** ResANN's options. */
    public record Options(
            @JsonPropertyDescription("residual units per stage, 3 stages") int n,
            @JsonPropertyDescription("width of the stem and the first stage; the stages are c, 2c, 4c wide") int c)
            implements ArchitectureOptions {

        /** The demo's network. */
        public static final Options DEFAULTS = new Options(2, 16);

        public Options {
            ArchitectureOptions.atLeast("n", n, 1);
            ArchitectureOptions.atLeast("c", c, 1);
        }
    }

    /** The blocks of the network {@code options} describe. */
    static Architecture.Parts parts(Options options, int classes) {
        int c = options.c();
        List<Block> units = new ArrayList<>();
        int width = c;
        for (int stage = 0; stage < STAGES; stage++) {
            int stageWidth = c << stage;
            for (int i = 0; i < options.n(); i++) {
                int stride = stage > 0 && i == 0 ? 2 : 1;
                units.add(new ResidualUnit(width, stageWidth, stride));
                width = stageWidth;
            }
        }
        return new Architecture.Parts(new ConvStem(c, 3), units, () -> new ClassifierHead(classes));
    }
}
