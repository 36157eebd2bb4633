package dev.anytimenn.model;

/**
 * Plain description of an anytime network, enough for {@link Architectures} to build it.
 *
 * <p>Names follow the paper: {@code n} units per stage, base width {@code c}, head stride {@code s}
 * (a head after every s-th unit counted back from the last, so the last unit always has one).
 */
public record ModelConfig(String arch, int n, int c, int s, int classes, InputShape input) {

    public ModelConfig {
        if (arch == null || arch.isBlank()) {
            throw new IllegalArgumentException("arch must be named");
        }
        requirePositive("n", n);
        requirePositive("c", c);
        requirePositive("s", s);
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be at least 2, got " + classes);
        }
        if (input == null) {
            throw new IllegalArgumentException("input shape is missing");
        }
    }

    private static void requirePositive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, got " + value);
        }
    }
}
