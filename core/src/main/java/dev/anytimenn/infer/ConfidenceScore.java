package dev.anytimenn.infer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How confident one exit is about one sample, computed from its softmax probabilities. Every
 * score is "higher means more confident", so a single rule (leave when score >= threshold) serves
 * them all.
 */
public enum ConfidenceScore {

    /** The largest probability (MSDNet's choice). In [1/C, 1]. */
    MAX_SOFTMAX("max-softmax") {
        @Override
        public double score(float[] probabilities) {
            requireNonEmpty(probabilities);
            double max = Double.NEGATIVE_INFINITY;
            for (float p : probabilities) {
                max = Math.max(max, p);
            }
            return max;
        }
    },

    /**
     * Negative entropy in nats, {@code sum p ln p} (so it grows with confidence), with
     * {@code 0 ln 0 = 0}. In [-ln C, 0]: 0 for one-hot, -ln C for uniform.
     */
    NEGATIVE_ENTROPY("entropy") {
        @Override
        public double score(float[] probabilities) {
            requireNonEmpty(probabilities);
            double sum = 0.0;
            for (float p : probabilities) {
                // p <= 0 contributes nothing: the limit of p ln p at 0, and it keeps a stray
                // negative rounding error from turning the whole score into NaN.
                if (p > 0f) {
                    sum += p * Math.log(p);
                }
            }
            return sum;
        }
    },

    /** Top-1 minus top-2 probability; 0 on a tie, 1 when there is a single class. */
    MARGIN("margin") {
        @Override
        public double score(float[] probabilities) {
            requireNonEmpty(probabilities);
            if (probabilities.length == 1) {
                return 1.0; // nothing competes with the only class
            }
            double first = Double.NEGATIVE_INFINITY;
            double second = Double.NEGATIVE_INFINITY;
            for (float p : probabilities) {
                if (p > first) {
                    second = first;
                    first = p;
                } else if (p > second) {
                    second = p;
                }
            }
            return first - second;
        }
    };

    private final String cliName;

    ConfidenceScore(String cliName) {
        this.cliName = cliName;
    }

    /** The score of one sample's probability vector (one entry per class, at least one). */
    public abstract double score(float[] probabilities);

    /** The name used on the command line and in JSON files. */
    @JsonValue
    public String cliName() {
        return cliName;
    }

    /**
     * Parses a command-line name, case-insensitively: {@code max-softmax}, {@code entropy} or
     * {@code negative-entropy}, {@code margin}. Underscores count as dashes, so the enum constant
     * names are accepted too.
     */
    @JsonCreator
    public static ConfidenceScore parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (key) {
            case "max-softmax" -> MAX_SOFTMAX;
            case "entropy", "negative-entropy" -> NEGATIVE_ENTROPY;
            case "margin" -> MARGIN;
            default -> throw new IllegalArgumentException("unknown confidence score '" + name
                    + "'; valid: max-softmax, entropy (or negative-entropy), margin");
        };
    }

    /** Names for help texts, e.g. {@code max-softmax, entropy, margin}. */
    public static String validNames() {
        return Arrays.stream(values()).map(ConfidenceScore::cliName).collect(Collectors.joining(", "));
    }

    private static void requireNonEmpty(float[] probabilities) {
        if (probabilities == null || probabilities.length == 0) {
            throw new IllegalArgumentException("probabilities must hold at least one class");
        }
    }
}
