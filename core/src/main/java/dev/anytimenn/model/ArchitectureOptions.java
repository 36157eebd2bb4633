package dev.anytimenn.model;

/**
 * The options of one architecture: a record whose components are its named options, each with a
 * {@link com.fasterxml.jackson.annotation.JsonPropertyDescription} saying what it means, a
 * {@code DEFAULTS} instance, and validation in its constructor (see {@link dev.anytimenn.io.OptionRecords}).
 *
 * <p>Every architecture has a depth {@code n} (units per stage or block) and a width {@code c}: the
 * command line's {@code --n} and {@code --c} set them, an EANN grows {@code n}, and model files have
 * always stored both. What else it has, and what n and c mean for it, is its own to say. Shared by all
 * architectures and so not here: the head stride s and the truncation to {@code units}
 * ({@link ModelConfig}).
 */
public interface ArchitectureOptions {

    /** Depth: units per stage or block. */
    int n();

    /** Width: base channels or growth rate. */
    int c();

    /** Fails, naming the option, unless {@code value >= min}. */
    static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be at least " + min + ", got " + value);
        }
    }
}
