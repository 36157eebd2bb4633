package dev.anytimenn.store;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.anytimenn.data.DataConfig;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.io.AtomicFiles;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.ModelConfig;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Opens a trained network from any of the places one lives, checks it, and writes model files.
 *
 * <ul>
 *   <li>a model file ({@value RunFiles#MODEL}, see {@link ModelFile}), or a folder holding one and no
 *       run config (e.g. {@code models/fashion-mnist/});
 *   <li>a run folder: its {@value RunFiles#CONFIG}, {@value RunFiles#CHECKPOINT} and, when calibrated,
 *       {@value RunFiles#THRESHOLDS};
 *   <li>a checkpoint file inside a run folder.
 * </ul>
 *
 * Every failure is one line naming the file and, where there is one, the field.
 */
public final class ModelStore {

    private ModelStore() {}

    /** A network with its parameters and the description that goes with it. */
    public record Loaded(ModelFile description, AnytimeNetwork network) {}

    /** Opens {@code path} and builds its network on {@code manager}'s device. */
    public static Loaded load(Path path, NDManager manager) throws IOException {
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve(RunFiles.CONFIG))) {
                return fromRun(path, path.resolve(RunFiles.CHECKPOINT), manager);
            }
            if (Files.isRegularFile(path.resolve(RunFiles.MODEL))) {
                return fromModelFile(path.resolve(RunFiles.MODEL), manager);
            }
            throw new IOException(path + ": neither a model folder (no " + RunFiles.MODEL + ") nor a run folder (no "
                    + RunFiles.CONFIG + ")");
        }
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + ": no such model file or run folder");
        }
        if (CheckpointFile.looksLikeCheckpoint(path)) {
            CheckpointFile.read(path); // a truncated checkpoint is named before its folder is looked at
            return fromRun(runFolderOf(path), path, manager);
        }
        return fromModelFile(path, manager);
    }

    /**
     * The run folder of a checkpoint file, or the folder itself; a truncated or foreign checkpoint
     * file is reported as such, not as a folder without a config.
     */
    public static Path runFolderOf(Path folderOrCheckpoint) throws IOException {
        Path dir = folderOrCheckpoint;
        if (Files.isRegularFile(folderOrCheckpoint)) {
            CheckpointFile.read(folderOrCheckpoint);
            dir = folderOrCheckpoint.toAbsolutePath().getParent();
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException(folderOrCheckpoint + ": no such run folder");
        }
        if (!Files.isRegularFile(dir.resolve(RunFiles.CONFIG))) {
            throw new IOException(dir + ": not a run folder (no " + RunFiles.CONFIG + ")");
        }
        return dir;
    }

    /** How a model file names its tensors; either is read back. */
    public enum Naming {
        /** DJL's parameter names ({@code 02unit1_01bn1_gamma}): what training writes. */
        DJL,
        /** PyTorch-style names ({@code unit1.bn1.weight}, {@link ParameterNames}): what a PyTorch module loads. */
        PYTORCH
    }

    /** Writes {@code network}'s parameters under DJL's names and {@code description} to {@code target}, atomically. */
    public static void write(Path target, ModelFile description, AnytimeNetwork network) throws IOException {
        write(target, description, network, Naming.DJL);
    }

    /** Writes {@code network}'s parameters, named as {@code naming} says, and {@code description} to {@code target}. */
    public static void write(Path target, ModelFile description, AnytimeNetwork network, Naming naming)
            throws IOException {
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        Map<Parameter, String> torchNames = torchNames(network);
        for (Pair<String, Parameter> p : network.getParameters()) {
            NDArray array = p.getValue().getArray();
            if (array.getDataType() != DataType.FLOAT32) {
                throw new IllegalStateException("parameter " + p.getKey() + " is " + array.getDataType()
                        + "; model files hold float32 only");
            }
            String name = naming == Naming.DJL ? p.getKey() : torchNames.get(p.getValue());
            tensors.put(name, new Safetensors.Tensor(array.getShape().getShape(), array.toFloatArray()));
        }
        String json = Jsons.newMapper().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(description);
        AtomicFiles.write(target, out -> Safetensors.write(out, Map.of(ModelFile.METADATA_KEY, json), tensors));
    }

    private static Map<Parameter, String> torchNames(AnytimeNetwork network) {
        Map<Parameter, String> names = new IdentityHashMap<>();
        ParameterNames.of(network).parameters().forEach((name, parameter) -> names.put(parameter, name));
        return names;
    }

    private static Loaded fromModelFile(Path file, NDManager manager) throws IOException {
        Safetensors.Contents contents = Safetensors.read(file);
        String json = contents.metadata().get(ModelFile.METADATA_KEY);
        if (json == null) {
            throw new IOException(file + ": not an anytime-nn model file (no '" + ModelFile.METADATA_KEY
                    + "' metadata)");
        }
        ModelFile description = readDescription(file, json);
        ModelConfig config = modelConfig(file, description);
        AnytimeNetwork net = build(file, config);
        net.initialize(manager, DataType.FLOAT32, config.input().batchShape(1));
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>(contents.tensors());
        Map<Parameter, String> torchNames = torchNames(net);
        for (Pair<String, Parameter> p : net.getParameters()) {
            Safetensors.Tensor t = tensors.remove(p.getKey());
            if (t == null) {
                t = tensors.remove(torchNames.get(p.getValue())); // a file written with PyTorch-style names
            }
            if (t == null) {
                throw new IOException(file + ": parameters: '" + p.getKey() + "' is missing; the file does not fit "
                        + describe(config));
            }
            NDArray array = p.getValue().getArray();
            if (!Arrays.equals(array.getShape().getShape(), t.shape())) {
                throw new IOException(file + ": parameters: '" + p.getKey() + "' has shape " + new Shape(t.shape())
                        + ", " + describe(config) + " needs " + array.getShape());
            }
            array.set(t.data());
        }
        if (!tensors.isEmpty()) {
            throw new IOException(file + ": parameters: " + describe(config) + " has no '"
                    + tensors.keySet().iterator().next() + "' (" + tensors.size() + " tensors left over)");
        }
        return checked(file, new Loaded(description, net));
    }

    private static ModelFile readDescription(Path file, String json) throws IOException {
        JsonNode tree;
        try {
            tree = Jsons.MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IOException(file + ": the '" + ModelFile.METADATA_KEY + "' metadata is not JSON: "
                    + e.getOriginalMessage(), e);
        }
        JsonNode version = tree.get("formatVersion");
        if (version == null || !version.isInt()) {
            throw new IOException(file + ": formatVersion is missing");
        }
        if (version.intValue() > ModelFile.FORMAT_VERSION || version.intValue() < 1) {
            throw new IOException(file + ": formatVersion " + version.intValue() + " is not one this anytime-nn reads"
                    + " (it reads " + ModelFile.FORMAT_VERSION + "); use the anytime-nn version that wrote the file");
        }
        for (String field : List.of("architecture", "options", "input", "classNames", "normalization", "exits")) {
            if (tree.get(field) == null || tree.get(field).isNull()) {
                throw new IOException(file + ": " + field + " is missing");
            }
        }
        try {
            return Jsons.MAPPER.treeToValue(tree, ModelFile.class);
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : Integer.toString(r.getIndex())).collect(Collectors.joining("."));
            throw new IOException(file + ": " + field + ": " + e.getOriginalMessage(), e);
        } catch (JacksonException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException(file + ": " + cause.getMessage(), e);
        }
    }

    private static ModelConfig modelConfig(Path file, ModelFile description) throws IOException {
        if (!Architectures.names().contains(description.architecture())) {
            throw new IOException(file + ": architecture: unknown architecture '" + description.architecture()
                    + "'; this anytime-nn knows " + String.join(", ", Architectures.names()));
        }
        try {
            return description.modelConfig();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static AnytimeNetwork build(Path file, ModelConfig config) throws IOException {
        try {
            return Architectures.build(config);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": options: " + e.getMessage(), e);
        }
    }

    private static String describe(ModelConfig config) {
        StringBuilder options = new StringBuilder();
        config.optionsJson().fields().forEachRemaining(
                f -> options.append(f.getKey()).append(" = ").append(f.getValue()).append(", "));
        return "the " + config.arch() + " network with " + options + "s = " + config.s()
                + (config.units() > 0 ? ", units = " + config.units() : "") + " and " + config.classes() + " classes";
    }

    /** The description must agree with the network it describes. */
    private static Loaded checked(Path file, Loaded loaded) throws IOException {
        ModelFile d = loaded.description();
        AnytimeNetwork net = loaded.network();
        if (!d.exits().equals(net.exitCosts())) {
            throw new IOException(file + ": exits: the file lists " + d.exits().size() + " exits that do not match the "
                    + net.headCount() + " of " + describe(net.config()) + " (" + net.exitCosts() + ")");
        }
        if (d.normalization().channels() != d.input().channels()) {
            throw new IOException(file + ": normalization: " + d.normalization().channels() + " channels for an input of "
                    + d.input());
        }
        if (d.thresholds() != null && d.thresholds().thresholds().length != net.headCount()) {
            throw new IOException(file + ": thresholds: " + d.thresholds().thresholds().length + " thresholds for "
                    + net.headCount() + " exits");
        }
        return loaded;
    }

    private static Loaded fromRun(Path dir, Path checkpoint, NDManager manager) throws IOException {
        Path configFile = dir.resolve(RunFiles.CONFIG);
        JsonNode config = readJson(configFile);
        ModelConfig modelConfig = field(configFile, config, "model", ModelConfig.class);
        CheckpointFile.Blocks blocks = CheckpointFile.read(checkpoint);
        JsonNode state;
        try {
            state = Jsons.MAPPER.readTree(blocks.stateJson());
        } catch (JacksonException e) {
            throw new IOException(checkpoint + ": checkpoint state is unreadable: " + e.getOriginalMessage(), e);
        }
        Normalization normalization = field(checkpoint, state, "normalization", Normalization.class);
        AnytimeNetwork net = loadCheckpointParameters(checkpoint, blocks, modelConfig, manager);
        List<String> classNames = classNames(field(configFile, config, "data", DataConfig.class),
                modelConfig.classes());
        Path thresholdsFile = dir.resolve(RunFiles.THRESHOLDS);
        StoredThresholds thresholds = Files.isRegularFile(thresholdsFile)
                ? field(thresholdsFile, readJson(thresholdsFile), "thresholds", StoredThresholds.class) : null;
        ModelFile description = ModelFile.of(modelConfig, classNames, normalization, net.exitCosts(), thresholds);
        return checked(checkpoint, new Loaded(description, net));
    }

    /** Builds the network a config describes and fills it with a checkpoint's parameters (DJL's format). */
    public static AnytimeNetwork loadCheckpointParameters(Path checkpoint, CheckpointFile.Blocks blocks,
            ModelConfig config, NDManager manager) throws IOException {
        AnytimeNetwork net = Architectures.build(config);
        try {
            net.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(blocks.parameters())));
        } catch (MalformedModelException | RuntimeException e) {
            throw new IOException(checkpoint + ": parameters do not fit the " + config.arch()
                    + " model of its config (" + e.getMessage() + ")", e);
        }
        return net;
    }

    /** The data set's class names; label numbers when the data (and so its names) is not at hand. */
    public static List<String> classNames(DataConfig data, int classes) {
        try {
            List<String> names = data.classNames();
            if (names.size() == classes) {
                return names;
            }
        } catch (Exception e) {
            // a run copied without its data still opens; its classes are named by their labels
        }
        return IntStream.range(0, classes).mapToObj(Integer::toString).toList();
    }

    private static JsonNode readJson(Path file) throws IOException {
        try {
            return Jsons.MAPPER.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IOException(file + ": invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T field(Path file, JsonNode tree, String name, Class<T> type) throws IOException {
        JsonNode node = tree.get(name);
        if (node == null || node.isNull()) {
            throw new IOException(file + ": " + name + " is missing");
        }
        try {
            return Jsons.MAPPER.treeToValue(node, type);
        } catch (JacksonException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException(file + ": " + name + ": " + (cause instanceof JacksonException j
                    ? j.getOriginalMessage() : cause.getMessage()), e);
        }
    }
}
