package dev.anytimenn.study;

/**
 * McNemar's exact two-sided test of two classifiers on the same test images. Only the discordant
 * images carry information: {@code b} that the first gets right and the second wrong, {@code c} the
 * opposite. Under the null hypothesis (equal error rates) each discordant image is a fair coin, so
 * {@code p = min(1, 2 P(X <= min(b, c)))} with {@code X ~ Binomial(b + c, 1/2)}.
 *
 * <p>The binomial tail is summed in log space, relative to its largest term, so that it stays exact
 * to rounding for the 10 000 test images of a study, where {@code 2^-(b+c)} underflows a double.
 */
public final class McNemar {

    /**
     * The discordant counts and the test's p-value.
     *
     * @param b images the first classifier gets right and the second wrong
     * @param c images the first gets wrong and the second right
     * @param p exact two-sided p-value (1 when {@code b = c})
     */
    public record Result(int b, int c, double p) {}

    private McNemar() {}

    /**
     * Compares two correctness vectors image by image.
     *
     * @param first whether the first classifier got each image right
     * @param second the same for the second classifier, same images in the same order
     */
    public static Result test(boolean[] first, boolean[] second) {
        if (first.length != second.length) {
            throw new IllegalArgumentException("McNemar needs the same images: " + first.length + " against "
                    + second.length);
        }
        int b = 0;
        int c = 0;
        for (int i = 0; i < first.length; i++) {
            if (first[i] && !second[i]) {
                b++;
            } else if (!first[i] && second[i]) {
                c++;
            }
        }
        return new Result(b, c, p(b, c));
    }

    /** The exact two-sided p-value for discordant counts {@code b} and {@code c}. */
    public static double p(int b, int c) {
        if (b < 0 || c < 0) {
            throw new IllegalArgumentException("counts must be >= 0, got b = " + b + ", c = " + c);
        }
        int n = b + c;
        int m = Math.min(b, c);
        if (2 * m == n) {
            return 1.0; // includes n = 0: no discordant image, no evidence either way
        }
        // log P(X = k) = log C(n, k) - n log 2, by the recurrence C(n, k + 1) = C(n, k) (n - k) / (k + 1).
        // For k <= m < n / 2 the terms increase, so the last one is the largest.
        double[] log = new double[m + 1];
        log[0] = -n * Math.log(2);
        for (int k = 0; k < m; k++) {
            log[k + 1] = log[k] + Math.log(n - k) - Math.log(k + 1);
        }
        double sum = 0;
        for (int k = 0; k <= m; k++) { // smallest terms first
            sum += Math.exp(log[k] - log[m]);
        }
        double tail = Math.exp(log[m] + Math.log(sum));
        return Math.min(1.0, 2 * tail);
    }
}
