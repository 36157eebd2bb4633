package dev.anytimenn.study;

/**
 * The paired t-test over seeds: is the mean of the per-seed differences between two arms zero? Runs
 * with the same seed share their initialisation and data order, so the differences, not the two
 * arms' errors, are the samples. With 3 seeds it has little power; the study reports it beside the
 * per-seed McNemar tests, which decide the claims.
 *
 * <p>The two-sided p-value of {@code t} with {@code d} degrees of freedom is the regularized
 * incomplete beta function {@code I_x(d/2, 1/2)} at {@code x = d / (d + t^2)}, computed here by its
 * continued fraction (no statistics library is a dependency).
 */
public final class PairedT {

    /**
     * The test's result.
     *
     * @param n number of pairs (seeds)
     * @param meanDifference mean of the differences
     * @param t the t statistic, mean / (sd / sqrt n); null with fewer than 2 pairs or differences
     *     without spread, where it is undefined
     * @param p two-sided p-value from Student's t with n - 1 degrees of freedom; null where t is
     */
    public record Result(int n, double meanDifference, Double t, Double p) {}

    private static final int MAX_ITERATIONS = 1000;
    private static final double EPS = 1e-15;
    private static final double TINY = 1e-300;

    private PairedT() {}

    /** The test on per-pair differences (e.g. arm A's error minus arm B's, one per seed). */
    public static Result of(double[] differences) {
        int n = differences.length;
        if (n == 0) {
            throw new IllegalArgumentException("no differences");
        }
        double mean = 0;
        for (double d : differences) {
            mean += d;
        }
        mean /= n;
        if (n < 2) {
            return new Result(n, mean, null, null);
        }
        double ss = 0;
        for (double d : differences) {
            ss += (d - mean) * (d - mean);
        }
        double se = Math.sqrt(ss / (n - 1) / n);
        if (!(se > 0)) {
            return new Result(n, mean, null, null);
        }
        double t = mean / se;
        return new Result(n, mean, t, twoSidedP(t, n - 1));
    }

    /** P(|T| >= |t|) for Student's t with {@code df} degrees of freedom. */
    public static double twoSidedP(double t, double df) {
        if (!(df > 0) || Double.isNaN(t)) {
            throw new IllegalArgumentException("need df > 0 and a t, got t = " + t + ", df = " + df);
        }
        if (Double.isInfinite(t)) {
            return 0.0;
        }
        return regularizedBeta(df / (df + t * t), df / 2, 0.5);
    }

    /** The regularized incomplete beta function I_x(a, b), for a, b > 0 and x in [0, 1]. */
    static double regularizedBeta(double x, double a, double b) {
        if (!(x >= 0 && x <= 1) || !(a > 0) || !(b > 0)) {
            throw new IllegalArgumentException("need x in [0, 1], a > 0, b > 0, got " + x + ", " + a + ", " + b);
        }
        if (x == 0 || x == 1) {
            return x;
        }
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x)
                + b * Math.log1p(-x));
        // the continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise
        if (x < (a + 1) / (a + b + 2)) {
            return front * continuedFraction(x, a, b) / a;
        }
        return 1 - front * continuedFraction(1 - x, b, a) / b;
    }

    /** The continued fraction of I_x(a, b) by the modified Lentz method (Numerical Recipes' betacf). */
    private static double continuedFraction(double x, double a, double b) {
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = 1 - qab * x / qap;
        d = Math.abs(d) < TINY ? TINY : d;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= MAX_ITERATIONS; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            d = Math.abs(d) < TINY ? TINY : d;
            c = 1 + aa / c;
            c = Math.abs(c) < TINY ? TINY : c;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            d = Math.abs(d) < TINY ? TINY : d;
            c = 1 + aa / c;
            c = Math.abs(c) < TINY ? TINY : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPS) {
                return h;
            }
        }
        throw new ArithmeticException("incomplete beta did not converge for x = " + x + ", a = " + a + ", b = " + b);
    }

    private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
        771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
        9.9843695780195716e-6, 1.5056327351493116e-7};

    /** log Gamma(x) for x > 0 (Lanczos, g = 7; about 15 significant digits). */
    static double logGamma(double x) {
        if (x < 0.5) {
            // reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x)
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        }
        double z = x - 1;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
