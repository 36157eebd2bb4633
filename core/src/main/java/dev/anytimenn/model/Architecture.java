package dev.anytimenn.model;

import ai.djl.nn.Block;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One architecture: its name, what its options mean, and the blocks it is made of. The rest
 * (truncating the chain, placing heads, assembling the {@link AnytimeNetwork}) is the same for all
 * and done once by {@link Architectures#build}. A new architecture is one class with a
 * {@code parts(ModelConfig)} method, registered in {@link Architectures}; the CLI's list of names and
 * help come from the registry.
 *
 * @param name the name users pass ({@code --arch}) and model files store, lower case
 * @param help one line for help text: the network, and what {@code n} and {@code c} mean for it
 * @param parts the stem, the whole chain of units (before any truncation) and a maker of heads
 */
public record Architecture(String name, String help, Function<ModelConfig, Parts> parts) {

    public Architecture {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(help, "help");
        Objects.requireNonNull(parts, "parts");
    }

    /** What an architecture is made of, all {@link MacCounted}; {@code head} makes one fresh head per call. */
    public record Parts(Block stem, List<Block> units, Supplier<Block> head) {}
}
