package dev.anytimenn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anytimenn.io.Jsons;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The options each architecture has beyond n and c build the networks they say. */
class ArchitectureOptionsTest {

    static final InputShape MNIST = new InputShape(1, 28, 28);

    private static ModelConfig config(String arch, String options) throws Exception {
        ObjectNode json = (ObjectNode) Jsons.MAPPER.readTree(options);
        return new ModelConfig(arch, 2, 16, 1, 10, MNIST).withOptions(json);
    }

    private static long[] shape(AnytimeNetwork net, String name) {
        return net.getParameters().stream().filter(p -> p.getKey().equals(name)).map(p -> p.getValue())
                .map(Parameter::getArray).findFirst().orElseThrow(() -> new AssertionError("no parameter " + name))
                .getShape().getShape();
    }

    @Test
    void denseAnnCompressionAndBottleneckSetTheTransitionAndTheOneByOneConv() throws Exception {
        ModelConfig config = config("densann", "{\"compression\": 0.75, \"bottleneck\": 2}");
        assertThat(config.options()).isEqualTo(new DenseAnn.Options(2, 16, 0.75, 2));
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = Architectures.buildInitialized(config, manager);
            // stem 32 + 2 x 16 = 64 channels into block 2; 0.75 of them kept; bottleneck 2 x 16
            assertThat(shape(net, "04unit3_01transition_01compress_02conv_weight")).containsExactly(48, 64, 1, 1);
            assertThat(shape(net, "04unit3_03conv1_weight")).containsExactly(32, 48, 1, 1);
            assertThat(shape(net, "02unit1_02conv1_weight")).containsExactly(32, 32, 1, 1);
            ModelTestSupport.assertStepwiseMatchesFullForward(net, manager, 2);
        }
        // DenseNet-BC's 0.5 and 4 are the defaults: the network of the n, c shorthand
        assertThat(config("densann", "{\"compression\": 0.5, \"bottleneck\": 4}"))
                .isEqualTo(new ModelConfig("densann", 2, 16, 1, 10, MNIST));
        assertThatThrownBy(() -> config("densann", "{\"compression\": 1.5}")).hasMessage(
                "compression must be in (0, 1], got 1.5");
        assertThatThrownBy(() -> config("densann", "{\"bottleneck\": 0}")).hasMessage(
                "bottleneck must be at least 1, got 0");
    }

    @Test
    void msdNetScalesAndFactorsShapeItsScalesAndBlocks() throws Exception {
        ModelConfig two = config("msdnet",
                "{\"n\": 1, \"c\": 4, \"scales\": 2, \"growthFactors\": [1, 2], \"bottleneckFactors\": [1, 1]}");
        ModelConfig four = config("msdnet",
                "{\"n\": 1, \"c\": 4, \"scales\": 4, \"growthFactors\": [1, 2, 4, 4], \"bottleneckFactors\": [1, 2, 4, 4]}");
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = Architectures.buildInitialized(two, manager);
            assertThat(net.unitCount()).as("one block per scale").isEqualTo(2);
            // stem units ceil(8 x 4 / 3) = 11: scales 11 and 22 wide; no third scale
            assertThat(shape(net, "01stem_02down1_02conv_weight")).containsExactly(22, 11, 3, 3);
            assertThat(net.getParameters().keys()).noneMatch(k -> k.contains("down2"));
            // bottleneck factor 1 at scale 1: min(input 22 + 4 x 2 ... ) of the branch output 4
            assertThat(shape(net, "02unit1_03regular1_01bottleneck_02conv_weight")[0]).isEqualTo(4);
            ModelTestSupport.assertStepwiseMatchesFullForward(net, manager, 2);

            AnytimeNetwork deep = Architectures.buildInitialized(four, manager);
            assertThat(deep.unitCount()).isEqualTo(4);
            assertThat(shape(deep, "01stem_04down3_02conv_weight")).containsExactly(44, 44, 3, 3);
            ModelTestSupport.assertStepwiseMatchesFullForward(deep, manager, 2);
        }
        assertThatThrownBy(() -> config("msdnet", "{\"scales\": 2}"))
                .hasMessage("growthFactors must have one factor per scale (2), got [1, 2, 4]");
        assertThatThrownBy(() -> config("msdnet", "{\"c\": 3, \"growthFactors\": [1, 1, 2]}"))
                .hasMessageStartingWith("growthFactors: c x growthFactors[1] = 3 x 1 is odd");
        assertThatThrownBy(() -> config("msdnet", "{\"bottleneckFactors\": [1, 0, 4]}"))
                .hasMessageStartingWith("bottleneckFactors must be at least 1 each");
    }

    @Test
    void aConfigJsonWritesEveryOptionAndReadsOldOnesWithTheDefaults() throws Exception {
        ModelConfig msd = new ModelConfig("msdnet", 2, 6, 2, 10, MNIST);
        String json = Jsons.MAPPER.writeValueAsString(msd);
        assertThat(Jsons.MAPPER.readTree(json).toString()).isEqualTo("{\"arch\":\"msdnet\",\"n\":2,\"c\":6,\"scales\":3,"
                + "\"growthFactors\":[1,2,4],\"bottleneckFactors\":[1,2,4],\"s\":2,\"classes\":10,"
                + "\"input\":{\"channels\":1,\"height\":28,\"width\":28},\"units\":0}");
        // ResANN's options are n and c alone: its config.json is byte for byte what it was
        assertThat(Jsons.MAPPER.writeValueAsString(new ModelConfig("resann", 4, 8, 1, 10, MNIST, 3))).isEqualTo("""
                {
                  "arch" : "resann",
                  "n" : 4,
                  "c" : 8,
                  "s" : 1,
                  "classes" : 10,
                  "input" : {
                    "channels" : 1,
                    "height" : 28,
                    "width" : 28
                  },
                  "units" : 3
                }""".replace(" :", ":"));
        // an older file: no units, no options beyond n and c
        String old = "{\"arch\": \"msdnet\", \"n\": 2, \"c\": 6, \"s\": 2, \"classes\": 10,"
                + " \"input\": {\"channels\": 1, \"height\": 28, \"width\": 28}}";
        assertThat(Jsons.MAPPER.readValue(old, ModelConfig.class)).isEqualTo(msd);
        assertThatThrownBy(() -> Jsons.MAPPER.readValue(old.replace("\"s\": 2", "\"s\": 2, \"depth\": 3"),
                ModelConfig.class)).hasRootCauseMessage("unknown 'depth'; choose from n, c, scales, growthFactors,"
                + " bottleneckFactors");
        assertThatThrownBy(() -> Jsons.MAPPER.readValue(old.replace("\"s\": 2, ", ""), ModelConfig.class))
                .hasRootCauseMessage("s is missing");
        assertThat(List.of(msd.n(), msd.c())).containsExactly(2, 6);
        assertThat(msd.withOptions(Jsons.MAPPER.createObjectNode().put("n", 4)).options())
                .isEqualTo(new MsdNetAnn.Options(4, 6, 3, List.of(1, 2, 4), List.of(1, 2, 4)));
    }
}
