package dev.anytimenn.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model file: a round trip keeps every parameter, and every bad file gets a line naming it and the field. */
class ModelStoreTest {

    static final ModelConfig CONFIG = new ModelConfig("resann", 1, 4, 1, 10, new InputShape(1, 28, 28));
    static final List<String> CLASSES = IntStream.range(0, 10).mapToObj(i -> "class " + i).toList();
    static final Normalization NORM = Normalization.singleChannel(0.3f, 0.2f);

    @TempDir
    static Path temp;
    static NDManager manager;
    static AnytimeNetwork net;
    static ModelFile description;
    static Path file;

    @BeforeAll
    static void writeOne() throws IOException {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(5);
        net = Architectures.buildInitialized(CONFIG, manager);
        description = ModelFile.of(CONFIG, CLASSES, NORM, net.exitCosts(),
                new StoredThresholds("margin", new double[] {0.5, 0.25, Double.NEGATIVE_INFINITY}));
        file = temp.resolve("model").resolve(RunFiles.MODEL);
        ModelStore.write(file, description, net);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static Path write(String name, ModelFile d) throws IOException {
        Path target = temp.resolve(name + ".safetensors");
        ModelStore.write(target, d, net);
        return target;
    }

    private static void fails(Path path, String... parts) {
        assertThatThrownBy(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                ModelStore.load(path, m);
            }
        }).isInstanceOf(IOException.class).hasMessageStartingWith(path.toString()).hasMessageContainingAll(parts)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aRoundTripKeepsEveryParameterAndTheDescription() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            // the folder holding the file opens as well as the file itself
            for (Path path : List.of(file, file.getParent())) {
                ModelStore.Loaded loaded = ModelStore.load(path, m);
                assertThat(loaded.description().classNames()).isEqualTo(CLASSES);
                assertThat(loaded.description().normalization()).isEqualTo(NORM);
                assertThat(loaded.description().exits()).isEqualTo(net.exitCosts());
                assertThat(loaded.description().thresholds().thresholds()).containsExactly(0.5, 0.25,
                        Double.NEGATIVE_INFINITY);
                assertThat(loaded.description().modelConfig()).isEqualTo(CONFIG);
                assertThat(loaded.network().getParameters().keys()).isEqualTo(net.getParameters().keys());
                List<Parameter> expected = net.getParameters().values();
                List<Parameter> actual = loaded.network().getParameters().values();
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(actual.get(i).getArray().toFloatArray())
                            .containsExactly(expected.get(i).getArray().toFloatArray());
                }
            }
        }
    }

    @Test
    void theFileIsSafetensorsWithTheDescriptionInItsMetadata() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        var header = Jsons.MAPPER.readTree(new String(bytes, 8, (int) headerLength));
        var meta = Jsons.MAPPER.readTree(header.get("__metadata__").get(ModelFile.METADATA_KEY).asText());
        assertThat(meta.get("formatVersion").asInt()).isEqualTo(ModelFile.FORMAT_VERSION);
        assertThat(meta.get("architecture").asText()).isEqualTo("resann");
        assertThat(meta.get("options").get("n").asInt()).isEqualTo(1);
        // every tensor's bytes lie inside the file, back to back after the header
        long end = header.properties().stream().filter(e -> !e.getKey().equals("__metadata__"))
                .mapToLong(e -> e.getValue().get("data_offsets").get(1).asLong()).max().orElseThrow();
        assertThat(8 + headerLength + end).isEqualTo(bytes.length);
    }

    @Test
    void aTruncatedFileIsNamed() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Path cut = temp.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 100));
        fails(cut, "truncated");
        Files.write(cut, Arrays.copyOf(bytes, 20));
        fails(cut, "truncated");
    }

    @Test
    void aForeignFileIsNamed() throws IOException {
        Path text = temp.resolve("notes.safetensors");
        Files.writeString(text, "these are not the parameters you are looking for");
        fails(text, "not a safetensors model file");
        fails(temp.resolve("nowhere"), "no such model file or run folder");
    }

    @Test
    void aNewerFormatVersionIsRefusedNotMisread() throws IOException {
        ModelFile future = new ModelFile(ModelFile.FORMAT_VERSION + 1, description.architecture(),
                description.options(), description.input(), description.classNames(), description.normalization(),
                description.exits(), null);
        fails(write("future", future), "formatVersion " + (ModelFile.FORMAT_VERSION + 1), "reads 1");
    }

    @Test
    void anUnknownArchitectureIsNamed() throws IOException {
        ModelFile other = new ModelFile(1, "transformer", description.options(), description.input(),
                description.classNames(), description.normalization(), description.exits(), null);
        fails(write("arch", other), "architecture: unknown architecture 'transformer'", "resann");
    }

    @Test
    void optionsThatDoNotFitTheParametersAreNamed() throws IOException {
        ModelConfig wider = new ModelConfig("resann", 1, 8, 1, 10, CONFIG.input());
        fails(write("wider", ModelFile.of(wider, CLASSES, NORM, net.exitCosts(), null)), "parameters: ", "c = 8",
                "has shape");
        ModelConfig deeper = new ModelConfig("resann", 2, 4, 1, 10, CONFIG.input());
        fails(write("deeper", ModelFile.of(deeper, CLASSES, NORM, net.exitCosts(), null)), "parameters: ",
                "n = 2", "has shape");
        ModelConfig cut = new ModelConfig("resann", 1, 4, 1, 10, CONFIG.input(), 2);
        fails(write("cut", ModelFile.of(cut, CLASSES, NORM, net.exitCosts().subList(0, 2), null)), "parameters: ",
                "units = 2", "is missing");
    }

    @Test
    void aWrongClassCountIsNamed() throws IOException {
        fails(write("classes", ModelFile.of(CONFIG, CLASSES.subList(0, 5), NORM, net.exitCosts(), null)),
                "parameters: ", "5 classes");
    }

    @Test
    void aMissingFieldIsNamed() throws IOException {
        ModelFile noOption = new ModelFile(1, "resann", Jsons.MAPPER.createObjectNode().put("n", 1).put("s", 1),
                description.input(), CLASSES, NORM, net.exitCosts(), null);
        fails(write("nooption", noOption), "options.c is missing");
        ModelFile wrongExits = ModelFile.of(CONFIG, CLASSES, NORM, net.exitCosts().subList(0, 2), null);
        fails(write("exits", wrongExits), "exits: ");
    }

    @Test
    void aTruncatedCheckpointIsNamedNotItsFolder() throws IOException {
        Path run = temp.resolve("run");
        Files.createDirectories(run);
        Path checkpoint = run.resolve(RunFiles.CHECKPOINT);
        Files.write(checkpoint, Arrays.copyOf("ANYTIME-NN-CKPT".getBytes(), 17)); // magic, then cut in the version
        assertThatThrownBy(() -> ModelStore.runFolderOf(checkpoint)).hasMessage(checkpoint + ": checkpoint is truncated");
        Path foreign = run.resolve("other.ckpt");
        Files.writeString(foreign, "not a checkpoint at all");
        assertThatThrownBy(() -> ModelStore.runFolderOf(foreign)).hasMessage(foreign + ": not an anytime-nn checkpoint");
    }
}
