package dev.anytimenn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.Block;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.model.Architecture;
import dev.anytimenn.model.ArchitectureOptions;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.ClassifierHead;
import dev.anytimenn.model.ConvStem;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.model.PreActConv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README's layout section promises: a new architecture is one class (here {@link PlainCnn},
 * written as a test would be) and its registration; the shared assembly builds it, config.json and model
 * files carry its options, and the architecture contract holds for it.
 */
class OneFileArchitectureTest {

    /** The new architecture: plain pre-activation convolutions in two stages, with its own kernel option. */
    static final class PlainCnn {

        record Options(@JsonPropertyDescription("convolutions per stage, 2 stages") int n,
                @JsonPropertyDescription("width of the first stage; the second is 2c") int c,
                @JsonPropertyDescription("kernel size of every convolution, odd") int kernel)
                implements ArchitectureOptions {

            static final Options DEFAULTS = new Options(2, 8, 3);

            Options {
                ArchitectureOptions.atLeast("n", n, 1);
                ArchitectureOptions.atLeast("c", c, 1);
                if (kernel < 1 || kernel % 2 == 0) {
                    throw new IllegalArgumentException("kernel must be odd and positive, got " + kernel);
                }
            }
        }

        static Architecture.Parts parts(Options options, int classes) {
            List<Block> units = new ArrayList<>();
            for (int stage = 0; stage < 2; stage++) {
                for (int i = 0; i < options.n(); i++) {
                    units.add(new PreActConv(options.c() << stage, options.kernel(), stage > 0 && i == 0 ? 2 : 1));
                }
            }
            return new Architecture.Parts(new ConvStem(options.c(), 3), units, () -> new ClassifierHead(classes));
        }
    }

    static final String NAME = "plain-cnn";

    @BeforeAll
    static void register() {
        Architectures.register(new Architecture<>(NAME, "plain convolutions with heads", PlainCnn.Options.DEFAULTS,
                PlainCnn::parts));
    }

    @Test
    void theRegistryBuildsItAndTheContractHolds(@TempDir Path temp) throws Exception {
        assertThat(Architectures.names()).contains(NAME);
        assertThat(Architectures.help()).anySatisfy(line -> assertThat(line).startsWith(NAME + ": ")
                .contains("kernel=INT: kernel size of every convolution, odd (default 3)"));

        ArchitectureContractTest contract = new ArchitectureContractTest();
        contract.stepwiseRunsGiveTheFullForward(NAME);
        contract.keptRowsGoOnAsABatchOfThemAlone(NAME);
        contract.macsAddUpExitByExitAndUnitByUnit(NAME);
        contract.aModelFileOpensAsTheSameNetwork(NAME, temp);
        contract.itsOptionsAreDescribedAndReadBackAsWritten(NAME);

        ModelConfig wide = new ModelConfig(NAME, 1, 4, 1, 10, new InputShape(1, 28, 28))
                .withOptions(Jsons.MAPPER.createObjectNode().put("kernel", 5));
        assertThat(Architectures.build(wide).unitCount()).isEqualTo(2);
        assertThat(Jsons.MAPPER.readValue(Jsons.MAPPER.writeValueAsString(wide), ModelConfig.class)).isEqualTo(wide);
        assertThatThrownBy(() -> wide.withOptions(Jsons.MAPPER.createObjectNode().put("kernel", 4)))
                .hasMessage("kernel must be odd and positive, got 4");
    }
}
