package dev.anytimenn.model;

import java.util.List;

/**
 * Plain description of an anytime network, enough for {@link Architectures} to build it.
 *
 * <p>Names follow the paper: {@code n} units per stage, base width {@code c}, head stride {@code s}
 * (a head after every s-th unit counted back from the last, so the last unit always has one).
 * {@code units}, when not 0, truncates the chain to its first {@code units} units: the OPT
 * baseline for a depth is the same architecture cut there.
 */
public record ModelConfig(String arch, int n, int c, int s, int classes, InputShape input, int units) {

    /** The whole architecture, not truncated. */
    public ModelConfig(String arch, int n, int c, int s, int classes, InputShape input) {
        this(arch, n, c, s, classes, input, 0);
    }

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
        if (units < 0) {
            throw new IllegalArgumentException("units must be 0 (all) or positive, got " + units);
        }
    }

    /** The same network cut after its first {@code kept} units (0: not cut). */
    public ModelConfig withUnits(int kept) {
        return new ModelConfig(arch, n, c, s, classes, input, kept);
    }

    /** The units a builder made, cut to {@link #units()} when that is set. */
    public <T> List<T> truncate(List<T> all) {
        if (units == 0) {
            return all;
        }
        if (units > all.size()) {
            throw new IllegalArgumentException("units " + units + " exceeds the " + all.size() + " units of " + arch
                    + " with n = " + n);
        }
        return all.subList(0, units);
    }

    private static void requirePositive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, got " + value);
        }
    }
}
