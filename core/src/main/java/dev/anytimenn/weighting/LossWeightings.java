package dev.anytimenn.weighting;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anytimenn.io.OptionRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Registry of weighting schemes by name (case-insensitive), and the specs that name them: a scheme's
 * name, then optionally ':' and its parameters as {@code name=value} pairs separated by commas
 * ({@code adaloss:gamma=0.05,updateEvery=1}) or one bare value for its first parameter ({@code opt:3});
 * {@code eann-<spec>} is that spec with the first half of the heads zeroed.
 */
public final class LossWeightings {
    private LossWeightings() {}

    private static final Map<String, WeightingScheme<?>> REGISTRY = new LinkedHashMap<>();

    static {
        register(new WeightingScheme<>("const", "every head weighs 1", NoParameters.NONE,
                (p, k, seed) -> new ConstWeighting(k)));
        register(new WeightingScheme<>("linear", "weights rising from 0.25 at the first head to 1 at the last",
                NoParameters.NONE, (p, k, seed) -> new LinearWeighting(k)));
        register(new WeightingScheme<>("half-end", "the final head carries half the total weight",
                NoParameters.NONE, (p, k, seed) -> new HalfEndWeighting(k)));
        register(new WeightingScheme<>("sieve", "the paper's SIEVE: heads weigh more the more powers of 2 divide"
                + " their distance from the end; the final head carries half", NoParameters.NONE,
                (p, k, seed) -> new SieveWeighting(k)));
        register(new WeightingScheme<>("oscillating", "SIEVE, and each step one head drawn by its weight gets an"
                + " extra half of the total", NoParameters.NONE, (p, k, seed) -> new OscillatingWeighting(k, seed)));
        register(new WeightingScheme<>("adaloss", "weights proportional to 1 / each head's running loss, with a"
                + " floor gamma", AdaLossOptions.DEFAULTS, (p, k, seed) -> new AdaLossWeighting(k, p)));
        register(new WeightingScheme<>("opt", "trains one head alone (the OPT baseline); opt:J trains head J",
                OptWeighting.Parameters.FINAL_HEAD, (p, k, seed) -> OptWeighting.of(p, k)));
    }

    public static synchronized void register(WeightingScheme<?> scheme) {
        REGISTRY.put(scheme.name().toLowerCase(Locale.ROOT), scheme);
    }

    /** Every registered scheme, in registration order. */
    public static synchronized List<WeightingScheme<?>> all() {
        return List.copyOf(REGISTRY.values());
    }

    /** A spec read: the scheme, its parameters, and whether the eann- mask applies. */
    public record Spec(WeightingScheme<?> scheme, Record parameters, boolean secondHalf) {

        /** The spec in its shortest form: lower case, only the parameters that differ from the defaults. */
        public String canonical() {
            String changed = OptionRecords.changedText(parameters, scheme.defaults());
            List<String> names = OptionRecords.names(scheme.defaults());
            if (!changed.isEmpty() && names.size() == 1) {
                changed = changed.substring(names.get(0).length() + 1); // a lone parameter is written bare: opt:3
            }
            return (secondHalf ? SecondHalfWeighting.PREFIX : "") + scheme.name()
                    + (changed.isEmpty() ? "" : ":" + changed);
        }

        /** The same scheme and parameters without the eann- mask: every head trained as the scheme says. */
        public Spec unmasked() {
            return new Spec(scheme, parameters, false);
        }
    }

    /**
     * Reads {@code spec}: a scheme and its parameters, checked; how many heads there are is not known
     * here (see {@link #create}).
     *
     * @throws IllegalArgumentException for an unknown name, a parameter the scheme does not have, or a bad value
     */
    public static Spec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no weighting given; choose one of: " + choices());
        }
        String text = spec.trim();
        int colon = text.indexOf(':');
        String written = (colon < 0 ? text : text.substring(0, colon)).trim();
        String arguments = colon < 0 ? null : text.substring(colon + 1).trim();
        boolean secondHalf = written.toLowerCase(Locale.ROOT).startsWith(SecondHalfWeighting.PREFIX);
        if (secondHalf) {
            written = written.substring(SecondHalfWeighting.PREFIX.length());
        }
        String name = written.toLowerCase(Locale.ROOT);
        if (secondHalf) {
            if (name.startsWith("opt") || name.startsWith(SecondHalfWeighting.PREFIX)) {
                throw new IllegalArgumentException("'" + text + "': eann- applies to a scheme that weights"
                        + " several heads; choose one of: " + choices());
            }
        }
        WeightingScheme<?> scheme;
        synchronized (LossWeightings.class) {
            scheme = REGISTRY.get(name);
        }
        if (scheme == null) {
            throw new IllegalArgumentException("unknown weighting '" + written + "'; choose one of: " + choices());
        }
        return new Spec(scheme, parameters(text, scheme, arguments), secondHalf);
    }

    private static Record parameters(String spec, WeightingScheme<?> scheme, String arguments) {
        if (arguments == null) {
            return scheme.defaults();
        }
        List<String> names = OptionRecords.names(scheme.defaults());
        if (names.isEmpty()) {
            throw new IllegalArgumentException("weighting '" + scheme.name() + "' takes no ':' parameters (got '"
                    + spec + "'); choose one of: " + choices());
        }
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException("'" + spec + "': nothing after ':'; " + scheme.name()
                    + "'s parameters are " + String.join(", ", names));
        }
        List<String> assignments = arguments.contains("=") ? OptionRecords.splitAssignments(arguments)
                : List.of(names.get(0) + "=" + arguments);
        try {
            return OptionRecords.read(scheme.defaults(), OptionRecords.parse(scheme.defaults(), assignments));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + spec + "': " + e.getMessage(), e);
        }
    }

    /**
     * Creates the weighting {@code spec} names for K = {@code heads} heads, case-insensitive: const,
     * linear, half-end, sieve, oscillating, adaloss (with parameters, e.g. adaloss:gamma=0.05), opt (the
     * final head) or opt:J (head J, 1-based), or eann-&lt;spec&gt; (the scheme with the first floor(K/2)
     * heads zeroed, e.g. eann-sieve).
     *
     * @param seed seed for randomised schemes ("oscillating")
     * @throws IllegalArgumentException for an unknown name, a bad parameter, a head J out of range, or heads < 1
     */
    public static LossWeighting create(String spec, int heads, long seed) {
        Checks.heads(heads);
        Spec parsed = parse(spec);
        LossWeighting weighting = parsed.scheme().create(parsed.parameters(), heads, seed);
        return parsed.secondHalf() ? SecondHalfWeighting.of(weighting) : weighting;
    }

    /** The scheme names for help text, in registration order, then "eann-<scheme>". */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (WeightingScheme<?> s : all()) {
            names.add(s.name());
        }
        names.add(SecondHalfWeighting.PREFIX + "<scheme>");
        return List.copyOf(names);
    }

    /** One help line per scheme, with its parameters, then the eann- prefix. */
    public static List<String> help() {
        List<String> lines = new ArrayList<>();
        for (WeightingScheme<?> s : all()) {
            String parameters = parameterHelp(s);
            lines.add(s.name() + ": " + s.help() + (parameters.isEmpty() ? "" : "; parameters: " + parameters));
        }
        lines.add(SecondHalfWeighting.PREFIX + "<scheme>: the scheme with the first half of the heads weighing 0,"
                + " as EANN members after the first train (e.g. eann-sieve; eann-oscillating draws its bonus among the"
                + " other heads)");
        return lines;
    }

    /**
     * A name for files and folders made from {@code spec}: ':' dropped before a bare value ("opt:3" is
     * "opt3"), otherwise '-'; ',' becomes '-', '=' is dropped ("adaloss:gamma=0.05" is "adaloss-gamma0.05").
     */
    public static String fileName(String spec) {
        StringBuilder out = new StringBuilder();
        String text = spec.trim();
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == ':') {
                boolean bare = i + 1 < text.length() && text.indexOf('=', i) < 0;
                out.append(bare ? "" : "-");
            } else if (ch == ',') {
                out.append('-');
            } else if (Character.isLetterOrDigit(ch) && ch < 128 || ch == '.' || ch == '_' || ch == '-') {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /**
     * The spec of a run config written before weightings carried their parameters, when the AdaLoss
     * options were a field of their own ({@code "adaLoss": {"mu": ..., ...}}): an adaloss spec (or
     * eann-adaloss) without parameters gets those that differ from the defaults; any other spec is
     * returned as it is, as is one whose options were the defaults.
     */
    public static String withLegacyAdaLoss(String spec, JsonNode adaLoss) {
        if (spec == null || adaLoss == null || adaLoss.isNull() || spec.contains(":")) {
            return spec;
        }
        Spec parsed;
        try {
            parsed = parse(spec);
        } catch (IllegalArgumentException e) {
            return spec; // a bad name is reported where the spec is used, as for a new config
        }
        if (!(parsed.parameters() instanceof AdaLossOptions)) {
            return spec;
        }
        AdaLossOptions legacy;
        try {
            legacy = OptionRecords.read(AdaLossOptions.DEFAULTS, adaLoss);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("adaLoss: " + e.getMessage(), e);
        }
        String changed = OptionRecords.changedText(legacy, AdaLossOptions.DEFAULTS);
        return changed.isEmpty() ? spec : spec.trim() + ":" + changed;
    }

    private static String parameterHelp(WeightingScheme<?> scheme) {
        return String.join("; ", scheme.describeParameters().stream().map(OptionRecords.Described::line).toList());
    }

    private static String choices() {
        return String.join(", ", names());
    }
}
