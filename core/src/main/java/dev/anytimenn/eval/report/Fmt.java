package dev.anytimenn.eval.report;

import java.util.Locale;

/** Locale-independent number formatting shared by the Markdown and console tables. */
final class Fmt {

    static final String NA = "n/a";

    private Fmt() {
    }

    /** MACs as millions with three decimals, e.g. {@code 12.346}. */
    static String mmacs(long macs) {
        return String.format(Locale.ROOT, "%.3f", macs / 1e6);
    }

    /** {@code part} as a percentage of {@code whole} with one decimal, e.g. {@code 25.0}. */
    static String percentOf(long part, long whole) {
        return whole > 0 ? String.format(Locale.ROOT, "%.1f", 100.0 * part / whole) : NA;
    }

    /** A fraction in [0, 1] as a percentage with two decimals and a percent sign. */
    static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.2f%%", 100.0 * fraction) : NA;
    }

    static String fixed(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : NA;
    }

    /** Three significant digits, scientific notation for very small values (learning rates). */
    static String sig3(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : NA;
    }

    /** A compact list such as {@code [0.125, 0.250]}; {@code scale} multiplies every value. */
    static String list(double[] values, double scale, int decimals) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(fixed(values[i] * scale, decimals));
        }
        return sb.append(']').toString();
    }
}
