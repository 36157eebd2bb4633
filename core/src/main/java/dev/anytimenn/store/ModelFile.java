package dev.anytimenn.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import java.util.List;
import java.util.Objects;

/**
 * What a model file says about its network besides the parameters: enough to rebuild the network,
 * feed it and know what each exit costs. Stored as JSON under the {@value #METADATA_KEY} key of the
 * safetensors metadata; the parameters are the file's tensors. No optimiser or loss-weighting
 * state: that stays in the training checkpoint.
 *
 * @param formatVersion {@value #FORMAT_VERSION} for files this version writes; a newer one is refused
 * @param architecture a registered architecture's name
 * @param options that architecture's options ({@code n}, {@code c} and any others it has), then the head
 *     stride {@code s} and {@code units} (0: not truncated); an architecture option that a file does not
 *     name takes the default it had in format version 1 (files written before it existed)
 * @param input the shape of one input image
 * @param classNames the name of each class, in label order (their number is the class count)
 * @param normalization the per-channel standardisation of pixels scaled to [0, 1]
 * @param exits every exit's MACs, as the network computes them
 * @param thresholds calibrated confidence thresholds, or null when not calibrated
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelFile(int formatVersion, String architecture, JsonNode options, InputShape input,
        List<String> classNames, Normalization normalization, List<ExitCost> exits, StoredThresholds thresholds) {

    public static final int FORMAT_VERSION = 1;
    public static final String METADATA_KEY = "anytime-nn";

    public ModelFile {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(classNames, "classNames");
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(exits, "exits");
        classNames = List.copyOf(classNames);
        exits = List.copyOf(exits);
    }

    /** The description of a network built from {@code config}. */
    public static ModelFile of(ModelConfig config, List<String> classNames, Normalization normalization,
            List<ExitCost> exits, StoredThresholds thresholds) {
        ObjectNode options = config.optionsJson();
        options.put("s", config.s()).put("units", config.units());
        return new ModelFile(FORMAT_VERSION, config.arch(), options, config.input(), classNames, normalization, exits,
                thresholds);
    }

    /** The same description with other thresholds (null: none). */
    public ModelFile withThresholds(StoredThresholds newThresholds) {
        return new ModelFile(formatVersion, architecture, options, input, classNames, normalization, exits,
                newThresholds);
    }

    /**
     * The model config the architecture builds from; a missing or bad option names itself. n, c and s are
     * required: every model file has them.
     */
    public ModelConfig modelConfig() {
        if (!options.isObject()) {
            throw new IllegalArgumentException("options must be an object, got " + options);
        }
        for (String required : List.of("n", "c", "s")) {
            if (options.get(required) == null || options.get(required).isNull()) {
                throw new IllegalArgumentException("options." + required + " is missing");
            }
        }
        for (String shared : List.of("arch", "classes", "input")) {
            if (options.has(shared)) {
                throw new IllegalArgumentException("options." + shared + ": not an option; it is a field of its own");
            }
        }
        ObjectNode config = Jsons.MAPPER.createObjectNode().put("arch", architecture);
        config.setAll((ObjectNode) options);
        config.put("classes", classNames.size());
        config.set("input", Jsons.MAPPER.valueToTree(input));
        try {
            return ModelConfig.fromJson(config);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("options: " + e.getMessage(), e);
        }
    }
}
