package dev.anytimenn.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.io.OptionRecords;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Plain description of an anytime network, enough for {@link Architectures} to build it: the
 * architecture and its own options, and what every architecture shares.
 *
 * <p>Shared: the head stride {@code s} (a head after every s-th unit counted back from the last, so
 * the last unit always has one), the class count, the input shape, and {@code units}, which, when not
 * 0, truncates the chain to its first {@code units} units: the OPT baseline for a depth is the same
 * architecture cut there.
 *
 * <p>As JSON (a run's config.json) it is one flat object: {@code arch}, the architecture's options
 * ({@code n}, {@code c} and any others), then {@code s}, {@code classes}, {@code input} and {@code units}.
 * An option the file does not name takes the architecture's default, so files written before an
 * architecture had more options than n and c read as the network they were.
 *
 * @param options {@code arch}'s own options record ({@link Architecture#defaults()}'s type)
 */
public record ModelConfig(String arch, ArchitectureOptions options, int s, int classes, InputShape input,
        int units) {

    /** The JSON fields every architecture shares; the others of a config's object are the architecture's options. */
    private static final Set<String> SHARED = Set.of("arch", "s", "classes", "input", "units");

    /**
     * The architecture's defaults with depth {@code n} and width {@code c}, cut after {@code units}
     * units (0: whole): the shorthand the command line's --n and --c give.
     */
    public ModelConfig(String arch, int n, int c, int s, int classes, InputShape input, int units) {
        this(arch, optionsWith(arch, n, c), s, classes, input, units);
    }

    /** The whole architecture with its default options but depth {@code n} and width {@code c}. */
    public ModelConfig(String arch, int n, int c, int s, int classes, InputShape input) {
        this(arch, n, c, s, classes, input, 0);
    }

    public ModelConfig {
        if (arch == null || arch.isBlank()) {
            throw new IllegalArgumentException("arch must be named");
        }
        Objects.requireNonNull(options, "options");
        Architectures.get(arch).cast(options);
        if (s < 1) {
            throw new IllegalArgumentException("s must be at least 1, got " + s);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be at least 2, got " + classes);
        }
        if (input == null) {
            throw new IllegalArgumentException("input shape is missing");
        }
        if (units < 0) {
            throw new IllegalArgumentException("units must be 0 (all) or positive, got " + units);
        }
    }

    private static ArchitectureOptions optionsWith(String arch, int n, int c) {
        if (arch == null || arch.isBlank()) {
            throw new IllegalArgumentException("arch must be named");
        }
        ObjectNode nc = Jsons.MAPPER.createObjectNode().put("n", n).put("c", c);
        return Architectures.get(arch).options(null, nc);
    }

    /** Depth: the architecture's units per stage or block. */
    public int n() {
        return options.n();
    }

    /** Width: the architecture's base channels or growth rate. */
    public int c() {
        return options.c();
    }

    /** The same network cut after its first {@code kept} units (0: not cut). */
    public ModelConfig withUnits(int kept) {
        return new ModelConfig(arch, options, s, classes, input, kept);
    }

    /** The same network with the architecture's options {@code changes} names set (e.g. {@code {"n": 4}}). */
    public ModelConfig withOptions(JsonNode changes) {
        return new ModelConfig(arch, Architectures.get(arch).options(options, changes), s, classes, input, units);
    }

    /** The units a builder made, cut to {@link #units()} when that is set. */
    public <T> List<T> truncate(List<T> all) {
        if (units == 0) {
            return all;
        }
        if (units > all.size()) {
            throw new IllegalArgumentException("units " + units + " exceeds the " + all.size() + " units of " + arch
                    + " with n = " + n());
        }
        return all.subList(0, units);
    }

    /** The architecture's options as JSON, in declaration order. */
    public ObjectNode optionsJson() {
        return OptionRecords.toJson((Record) options);
    }

    /** The flat JSON object of a config.json's {@code model}. */
    @JsonValue
    public ObjectNode toJson() {
        ObjectNode json = Jsons.MAPPER.createObjectNode().put("arch", arch);
        json.setAll(optionsJson());
        json.put("s", s).put("classes", classes);
        json.set("input", Jsons.MAPPER.valueToTree(input));
        json.put("units", units);
        return json;
    }

    /**
     * Reads the flat JSON object {@link #toJson()} writes; every field but the shared ones is an option of
     * the architecture, and one it does not have is an error naming it.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ModelConfig fromJson(ObjectNode json) {
        JsonNode arch = json.get("arch");
        if (arch == null || !arch.isTextual()) {
            throw new IllegalArgumentException("arch is missing");
        }
        ObjectNode options = json.deepCopy();
        options.remove(SHARED);
        Architecture<?> architecture = Architectures.get(arch.textValue());
        return new ModelConfig(arch.textValue(), architecture.options(null, options), whole(json, "s", true),
                whole(json, "classes", true), inputShape(json), whole(json, "units", false));
    }

    private static int whole(JsonNode json, String field, boolean required) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException(field + " is missing");
            }
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException(field + " must be a whole number, got " + value);
        }
        return value.intValue();
    }

    private static InputShape inputShape(JsonNode json) {
        JsonNode input = json.get("input");
        if (input == null || input.isNull()) {
            throw new IllegalArgumentException("input is missing");
        }
        try {
            return Jsons.MAPPER.treeToValue(input, InputShape.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("input: " + e.getOriginalMessage(), e);
        }
    }
}
