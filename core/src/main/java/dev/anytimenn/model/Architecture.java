package dev.anytimenn.model;

import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import dev.anytimenn.io.OptionRecords;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One architecture: its name, its options and the blocks it is made of. The rest (truncating the
 * chain, placing heads, assembling the {@link AnytimeNetwork}) is the same for all and done once by
 * {@link Architectures#build}. A new architecture is one class holding its options record and a
 * {@code parts(options, classes)} method, and one registration line in {@link Architectures}; the
 * CLI's list of names, its help and model files come from the registry.
 *
 * @param name the name users pass ({@code --arch}) and model files store, lower case
 * @param help one line for help text: what the network is
 * @param defaults its options' defaults; their record's components are its options
 * @param parts the stem, the whole chain of units (before any truncation) and a maker of heads
 */
public record Architecture<O extends Record & ArchitectureOptions>(String name, String help, O defaults,
        PartsMaker<O> parts) {

    /** Makes an architecture's blocks from its options. */
    @FunctionalInterface
    public interface PartsMaker<O> {
        Parts make(O options, int classes);
    }

    /** What an architecture is made of, all {@link MacCounted}; {@code head} makes one fresh head per call. */
    public record Parts(Block stem, List<Block> units, Supplier<Block> head) {}

    public Architecture {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(help, "help");
        Objects.requireNonNull(defaults, "defaults");
        Objects.requireNonNull(parts, "parts");
    }

    /**
     * {@code base}'s options with those {@code given} names set (a JSON object of option: value; null for
     * none); {@code base} null means the defaults.
     *
     * @throws IllegalArgumentException naming the option: not one of this architecture's, of the wrong
     *     kind, or refused by its checks
     */
    public O options(ArchitectureOptions base, JsonNode given) {
        return OptionRecords.read(base == null ? defaults : cast(base), given);
    }

    /** This architecture's options for help, in declaration order. */
    public List<OptionRecords.Described> describeOptions() {
        return OptionRecords.describe(defaults);
    }

    /** The blocks of the network with {@code options}, which must be this architecture's. */
    public Parts partsOf(ArchitectureOptions options, int classes) {
        return parts.make(cast(options), classes);
    }

    /** {@code options} as this architecture's own record; another's is an error. */
    @SuppressWarnings("unchecked")
    public O cast(ArchitectureOptions options) {
        if (options.getClass() != defaults.getClass()) {
            throw new IllegalArgumentException("options " + options + " are not " + name + "'s");
        }
        return (O) options;
    }
}
