package dev.anytimenn.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.util.Pair;
import dev.anytimenn.engine.ConvolutionCase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvolutionCasesTest {

    @Test
    void listsEveryConvolutionOfTheNetworkAtItsInputSize() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(ModelTestSupport.resann(1, 4, 1), manager, 1);
            List<String> shapes = ConvolutionCases.of(net).stream()
                    .map(c -> c.inChannels() + "->" + c.outChannels() + " s" + c.stride() + " @" + c.size())
                    .distinct().toList();
            // stem 1->4; stage 1 unit 4->4 twice; stage 2 4->8 strided at 28, then 8->8 at 14; stage 3 likewise
            assertThat(shapes).containsExactlyInAnyOrder("1->4 s1 @28", "4->4 s1 @28", "4->8 s2 @28", "8->8 s1 @14",
                    "8->16 s2 @14", "16->16 s1 @7");
            assertThat(ConvolutionCases.of(net)).extracting(ConvolutionCase::batch).containsOnly(ConvolutionCases.BATCH);
        }
    }

    /** Every convolution of every architecture runs through the guard, so none escapes the self-check. */
    @Test
    void everyArchitecturesConvolutionsAreGuarded() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String arch : List.of("resann", "densann", "msdnet")) {
                ModelConfig config = new ModelConfig(arch, 1, 4, 1, 10, new InputShape(1, 28, 28));
                List<Block> convolutions = new ArrayList<>();
                collect(Architectures.buildInitialized(config, manager), convolutions);
                assertThat(convolutions).as(arch).isNotEmpty().allMatch(b -> b instanceof GuardedConv2d);
            }
        }
    }

    private static void collect(Block block, List<Block> out) {
        if (block instanceof Convolution) {
            out.add(block);
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), out);
        }
    }
}
