package dev.anytimenn.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The paired t-test and Student's t distribution against closed forms and table values. */
class PairedTTest {

    @Test
    void studentTTailsMatchClosedFormsAndTables() {
        // df = 2: p = 1 - t / sqrt(t^2 + 2)
        assertThat(PairedT.twoSidedP(2.0, 2)).isCloseTo(1 - 2 / Math.sqrt(6), within(1e-12)); // 0.1835
        assertThat(PairedT.twoSidedP(4.303, 2)).isCloseTo(0.05, within(1e-4));
        // df = 1 (Cauchy): p = 1 - 2 atan(|t|) / pi
        for (double t : new double[] {0.3, 1, 12.706, 100}) {
            assertThat(PairedT.twoSidedP(t, 1)).as("t = %s", t).isCloseTo(1 - 2 * Math.atan(t) / Math.PI,
                    within(1e-12));
        }
        assertThat(PairedT.twoSidedP(-2.0, 2)).isEqualTo(PairedT.twoSidedP(2.0, 2));
        assertThat(PairedT.twoSidedP(0, 5)).isCloseTo(1, within(1e-12));
        assertThat(PairedT.twoSidedP(2.228, 10)).isCloseTo(0.05, within(1e-4)); // t table
        assertThat(PairedT.twoSidedP(2.576, 100000)).isCloseTo(0.01, within(1e-4)); // about normal
        assertThat(PairedT.twoSidedP(Double.POSITIVE_INFINITY, 3)).isZero();
    }

    @Test
    void logGammaAndTheIncompleteBetaAtKnownPoints() {
        assertThat(PairedT.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-13));
        assertThat(PairedT.logGamma(10)).isCloseTo(Math.log(362880), within(1e-12));
        assertThat(PairedT.regularizedBeta(0.3, 1, 1)).isCloseTo(0.3, within(1e-14)); // uniform
        assertThat(PairedT.regularizedBeta(0.3, 2, 1)).isCloseTo(0.09, within(1e-14)); // x^2
        assertThat(PairedT.regularizedBeta(0.7, 3, 5) + PairedT.regularizedBeta(0.3, 5, 3))
                .isCloseTo(1, within(1e-14));
    }

    @Test
    void pairedTestOnDifferences() {
        // differences 1, 2, 3: mean 2, sd 1, t = 2 / (1 / sqrt 3) = 2 sqrt 3, df 2
        PairedT.Result r = PairedT.of(new double[] {1, 2, 3});
        assertThat(r.n()).isEqualTo(3);
        assertThat(r.meanDifference()).isCloseTo(2, within(1e-15));
        assertThat(r.t()).isCloseTo(2 * Math.sqrt(3), within(1e-12));
        assertThat(r.p()).isCloseTo(1 - 2 * Math.sqrt(3) / Math.sqrt(12 + 2), within(1e-12)); // 0.0742
        assertThat(PairedT.of(new double[] {-1, -2, -3}).p()).isCloseTo(r.p(), within(1e-15));
    }

    @Test
    void oneSeedOrNoSpreadGivesNoP() {
        PairedT.Result one = PairedT.of(new double[] {-0.4});
        assertThat(one.meanDifference()).isEqualTo(-0.4);
        assertThat(one.t()).isNull();
        assertThat(one.p()).isNull();
        assertThat(PairedT.of(new double[] {0.5, 0.5, 0.5}).p()).isNull();
    }
}
