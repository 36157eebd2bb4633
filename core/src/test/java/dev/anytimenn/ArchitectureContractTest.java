package dev.anytimenn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.io.OptionRecords;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.Architecture;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.model.ModelTestSupport;
import dev.anytimenn.store.ModelFile;
import dev.anytimenn.store.ModelStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every registered architecture must do, checked on a small instance of each: registering a new
 * one is enough to have it checked here.
 */
class ArchitectureContractTest {

    static Stream<String> architectures() {
        return Architectures.all().stream().map(a -> a.name());
    }

    /** n = 1 (3 units), c = 4, a head after every unit, 10 classes of 1 x 28 x 28 images. */
    private static ModelConfig small(String arch) {
        return new ModelConfig(arch, 1, 4, 1, 10, new InputShape(1, 28, 28));
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void stepwiseRunsGiveTheFullForward(String arch) {
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(small(arch), manager, 11);
            ModelTestSupport.assertStepwiseMatchesFullForward(net, manager, 2);
        }
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void keptRowsGoOnAsABatchOfThemAlone(String arch) {
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(small(arch), manager, 12);
            ModelTestSupport.assertKeptRowsMatch(net, manager, 3, new long[] {0, 2}, 1);
        }
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void macsAddUpExitByExitAndUnitByUnit(String arch) {
        AnytimeNetwork net = Architectures.build(small(arch));
        List<ExitCost> exits = net.exitCosts();
        long[] steps = net.stepMacs();
        assertThat(exits).hasSize(net.headCount());
        assertThat(Arrays.stream(steps).allMatch(m -> m > 0)).isTrue();
        assertThat(Arrays.stream(steps).sum()).isEqualTo(exits.get(exits.size() - 1).cumulativeMacs());
        long sum = 0;
        for (ExitCost exit : exits) {
            sum += exit.macs();
            assertThat(exit.cumulativeMacs()).isEqualTo(sum)
                    .isEqualTo(Arrays.stream(steps, 0, exit.afterUnit()).sum());
        }
        // a truncated network is the front of the whole one, cost for cost
        AnytimeNetwork front = Architectures.build(small(arch).withUnits(2));
        assertThat(front.exitCosts()).isEqualTo(exits.subList(0, 2));
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void aModelFileOpensAsTheSameNetwork(String arch, @TempDir Path temp) throws Exception {
        ModelConfig config = small(arch);
        List<String> classes = IntStream.range(0, 10).mapToObj(i -> "c" + i).toList();
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(config, manager, 13);
            Path file = temp.resolve("model.safetensors");
            ModelStore.write(file, ModelFile.of(config, classes, Normalization.singleChannel(0.5f, 0.25f),
                    net.exitCosts(), null), net);
            ModelStore.Loaded loaded = ModelStore.load(file, manager);
            assertThat(loaded.description().modelConfig()).isEqualTo(config);
            NDArray x = manager.randomNormal(config.input().batchShape(2));
            NDList want = net.forward(new ParameterStore(manager, false), new NDList(x), false);
            NDList got = loaded.network().forward(new ParameterStore(manager, false), new NDList(x), false);
            assertThat(got).hasSameSizeAs(want);
            for (int k = 0; k < want.size(); k++) {
                assertThat(got.get(k).toFloatArray()).containsExactly(want.get(k).toFloatArray());
            }
        }
    }

    /**
     * Its options are described for help, its defaults are valid and have n and c, a config of it survives
     * config.json, and a config.json or model file that names only n and c (as every file did before
     * architectures had options of their own) reads as the defaults with those two.
     */
    @ParameterizedTest
    @MethodSource("architectures")
    void itsOptionsAreDescribedAndReadBackAsWritten(String arch) throws Exception {
        Architecture<?> architecture = Architectures.get(arch);
        List<OptionRecords.Described> options = architecture.describeOptions();
        assertThat(options).extracting(OptionRecords.Described::name).startsWith("n", "c");
        assertThat(options).allSatisfy(o -> assertThat(o.help()).as(o.name() + "'s help").isNotBlank());
        assertThat(Architectures.help()).anySatisfy(line -> assertThat(line).startsWith(arch + ": ")
                .contains(options.stream().map(OptionRecords.Described::line).toArray(String[]::new)));

        ModelConfig config = small(arch).withUnits(2);
        String json = Jsons.MAPPER.writeValueAsString(config);
        assertThat(Jsons.MAPPER.readValue(json, ModelConfig.class)).isEqualTo(config);
        ObjectNode old = Jsons.MAPPER.createObjectNode().put("arch", arch).put("n", 1).put("c", 4).put("s", 1)
                .put("classes", 10);
        old.set("input", Jsons.MAPPER.valueToTree(new InputShape(1, 28, 28)));
        assertThat(Jsons.MAPPER.treeToValue(old, ModelConfig.class)).isEqualTo(small(arch));
        assertThat(small(arch).options()).isEqualTo(architecture.options(null,
                Jsons.MAPPER.createObjectNode().put("n", 1).put("c", 4)));
    }
}
