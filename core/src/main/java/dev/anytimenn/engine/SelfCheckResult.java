package dev.anytimenn.engine;

import java.util.List;
import java.util.Locale;

/**
 * What the convolution self-check found: every computation that disagreed with the float64 reference,
 * and how long the check took.
 */
public record SelfCheckResult(int computations, List<Mismatch> mismatches, double millis) {

    /** One engine result that is not the convolution it should be. */
    public record Mismatch(ConvolutionCase convolution, String quantity, double relativeError) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s of a %s: relative error %s", quantity, convolution,
                    Double.isNaN(relativeError) ? "NaN" : String.format(Locale.ROOT, "%.2g", relativeError));
        }
    }

    public boolean ok() {
        return mismatches.isEmpty();
    }

    public String summary() {
        return ok()
                ? String.format(Locale.ROOT, "%d convolution results match the float64 reference (%.0f ms)",
                        computations, millis)
                : String.format(Locale.ROOT, "%d of %d convolution results are wrong, e.g. the %s", mismatches.size(),
                        computations, mismatches.get(0));
    }
}
