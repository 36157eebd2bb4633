package dev.anytimenn.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/** McNemar's exact test against hand values, exact big-integer sums and the normal approximation. */
class McNemarTest {

    /** 2 sum_{k <= min(b, c)} C(b + c, k) / 2^(b + c), in exact integer arithmetic. */
    private static double exact(int b, int c) {
        int n = b + c;
        BigInteger sum = BigInteger.ZERO;
        BigInteger binomial = BigInteger.ONE;
        for (int k = 0; k <= Math.min(b, c); k++) {
            sum = sum.add(binomial);
            binomial = binomial.multiply(BigInteger.valueOf(n - k)).divide(BigInteger.valueOf(k + 1));
        }
        BigDecimal p = new BigDecimal(sum.shiftLeft(1)).divide(new BigDecimal(BigInteger.ONE.shiftLeft(n)),
                MathContext.DECIMAL64);
        return Math.min(1.0, p.doubleValue());
    }

    @Test
    void handValues() {
        assertThat(McNemar.p(0, 10)).isEqualTo(2.0 / 1024);
        assertThat(McNemar.p(1, 9)).isCloseTo(2.0 * 11 / 1024, within(1e-15)); // C(10,0) + C(10,1) = 11
        assertThat(McNemar.p(2, 3)).isCloseTo(1.0, within(1e-15)); // 2 (1 + 5 + 10) / 32 = 1
        assertThat(McNemar.p(0, 1)).isCloseTo(1.0, within(1e-15));
        assertThat(McNemar.p(0, 0)).isEqualTo(1.0);
        assertThat(McNemar.p(7, 7)).isEqualTo(1.0);
        assertThat(McNemar.p(500, 500)).isEqualTo(1.0);
    }

    @Test
    void symmetricInBAndC() {
        for (int[] bc : new int[][] {{0, 10}, {3, 17}, {40, 60}, {480, 520}, {4900, 5100}}) {
            assertThat(McNemar.p(bc[0], bc[1])).isEqualTo(McNemar.p(bc[1], bc[0]));
        }
    }

    @Test
    void matchesTheExactSumUpToTenThousandDiscordantImages() {
        for (int[] bc : new int[][] {{3, 17}, {40, 60}, {450, 550}, {100, 9900}, {4900, 5100}, {4999, 5001},
            {1, 9999}}) {
            double expected = exact(bc[0], bc[1]);
            assertThat(McNemar.p(bc[0], bc[1])).as("b = %d, c = %d", bc[0], bc[1])
                    .isCloseTo(expected, within(1e-9 * Math.max(expected, 1e-300)));
        }
        assertThat(McNemar.p(0, 10000)).isEqualTo(0.0); // 2^-9999 underflows to 0, as it should round
    }

    @Test
    void largeCaseAgreesWithTheContinuityCorrectedNormalApproximation() {
        // z = (|b - c| - 1) / sqrt(b + c) = 199 / 100; two-sided normal p = erfc(1.99 / sqrt 2) = 0.046591
        assertThat(McNemar.p(4900, 5100)).isCloseTo(0.046591, within(0.0005));
        assertThat(McNemar.p(4900, 5100)).isCloseTo(0.0465855, within(1e-6)); // the exact sum, from Python
    }

    @Test
    void countsTheDiscordantImagesOfTwoCorrectnessVectors() {
        boolean[] first = {true, true, true, false, false, true, true};
        boolean[] second = {true, false, false, true, false, false, true};
        McNemar.Result r = McNemar.test(first, second);
        assertThat(r.b()).isEqualTo(3);
        assertThat(r.c()).isEqualTo(1);
        assertThat(r.p()).isEqualTo(McNemar.p(3, 1)); // 2 (1 + 4) / 16 = 0.625
        assertThat(r.p()).isCloseTo(0.625, within(1e-15));
        assertThatThrownBy(() -> McNemar.test(new boolean[2], new boolean[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
