package dev.anytimenn.weighting;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Registry of weighting schemes by name (case-insensitive). */
public final class LossWeightings {
    private LossWeightings() {}

    /** Builds one scheme; {@code argument} is the text after ':' in the spec, or null if none. */
    @FunctionalInterface
    private interface Factory {
        LossWeighting create(String argument, int heads, AdaLossOptions ada, long seed);
    }

    /** A registered scheme: its help name (e.g. "opt:J") and factory. */
    private record Entry(String helpName, boolean takesArgument, Factory factory) {}

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        plain("const", (a, k, ada, seed) -> new ConstWeighting(k));
        plain("linear", (a, k, ada, seed) -> new LinearWeighting(k));
        plain("half-end", (a, k, ada, seed) -> new HalfEndWeighting(k));
        plain("sieve", (a, k, ada, seed) -> new SieveWeighting(k));
        plain("oscillating", (a, k, ada, seed) -> new OscillatingWeighting(k, seed));
        plain("adaloss", (a, k, ada, seed) -> new AdaLossWeighting(k, ada));
        REGISTRY.put("opt", new Entry("opt:J", true, LossWeightings::opt));
    }

    private static void plain(String name, Factory factory) {
        REGISTRY.put(name, new Entry(name, false, factory));
    }

    /**
     * Creates the weighting named by {@code spec}: const, linear, half-end, sieve, oscillating,
     * adaloss, opt (the final head) or opt:J (head J, 1-based), or eann-&lt;scheme&gt; (the scheme
     * with the first floor(K/2) heads zeroed, e.g. eann-sieve). Case-insensitive.
     *
     * @param ada AdaLoss options (only used by "adaloss"; null means {@link AdaLossOptions#DEFAULTS})
     * @param seed seed for randomised schemes ("oscillating")
     * @throws IllegalArgumentException for an unknown name, a bad J, or heads < 1
     */
    public static LossWeighting create(String spec, int heads, AdaLossOptions ada, long seed) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no weighting given; choose one of: " + help());
        }
        Checks.heads(heads);
        String normalised = spec.trim().toLowerCase(Locale.ROOT);
        int colon = normalised.indexOf(':');
        if (normalised.startsWith(SecondHalfWeighting.PREFIX)) {
            String inner = normalised.substring(SecondHalfWeighting.PREFIX.length());
            if (inner.startsWith("opt") || inner.startsWith(SecondHalfWeighting.PREFIX)) {
                throw new IllegalArgumentException("'" + spec.trim() + "': eann- applies to a scheme that weights"
                        + " several heads; choose one of: " + help());
            }
            return new SecondHalfWeighting(create(inner, heads, ada, seed));
        }
        String name = colon < 0 ? normalised : normalised.substring(0, colon);
        String argument = colon < 0 ? null : normalised.substring(colon + 1);
        Entry entry = REGISTRY.get(name);
        if (entry == null) {
            throw new IllegalArgumentException(
                    "unknown weighting '" + spec.trim() + "'; choose one of: " + help());
        }
        if (argument != null && !entry.takesArgument()) {
            throw new IllegalArgumentException("weighting '" + name + "' takes no ':' argument (got '"
                    + spec.trim() + "'); choose one of: " + help());
        }
        return entry.factory().create(argument, heads, ada == null ? AdaLossOptions.DEFAULTS : ada, seed);
    }

    /** The scheme names for help text, in registration order (e.g. "opt:J"), then "eann-<scheme>". */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Entry e : REGISTRY.values()) {
            names.add(e.helpName());
        }
        names.add(SecondHalfWeighting.PREFIX + "<scheme>");
        return Collections.unmodifiableList(names);
    }

    private static String help() {
        return String.join(", ", names());
    }

    private static LossWeighting opt(String argument, int heads, AdaLossOptions ada, long seed) {
        if (argument == null) {
            return OptWeighting.finalHead(heads);
        }
        int j;
        try {
            j = Integer.parseInt(argument.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad head number in 'opt:" + argument
                    + "': J must be an integer in 1.." + heads + "; choose one of: " + help());
        }
        return new OptWeighting(heads, j); // validates 1 <= j <= heads
    }
}
