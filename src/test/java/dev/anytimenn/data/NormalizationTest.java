package dev.anytimenn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NormalizationTest {

    private static ImageSet pixels(int... values) {
        byte[] p = new byte[values.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) values[i];
        }
        return new ImageSet(p, new int[values.length], 1, 1, 1, 1);
    }

    @Test
    void fitsPopulationMeanAndStdOfScaledPixels() {
        Normalization n = Normalization.fit(pixels(0, 255, 0, 255));
        assertThat(n.mean()).isEqualTo(0.5f);
        assertThat(n.std()).isEqualTo(0.5f);
        assertThat(n.apply(255)).isEqualTo(1f);
        assertThat(n.apply(0)).isEqualTo(-1f);
        assertThat(n.apply((byte) 0xFF)).isEqualTo(1f); // sign-extended byte
    }

    @Test
    void unevenValues() {
        // 0, .2, .4, .6 -> mean .3, variance (.09+.01+.01+.09)/4 = .05
        Normalization n = Normalization.fit(pixels(0, 51, 102, 153));
        assertThat(n.mean()).isCloseTo(0.3f, within(1e-7f));
        assertThat(n.std()).isCloseTo((float) Math.sqrt(0.05), within(1e-7f));
        assertThat(n.apply(102)).isCloseTo((float) (0.1 / Math.sqrt(0.05)), within(1e-6f));
    }

    @Test
    void lookupTableMatchesApply() {
        Normalization n = new Normalization(0.2860f, 0.3530f);
        float[] lut = n.lookupTable();
        for (int i = 0; i < 256; i++) {
            assertThat(lut[i]).isEqualTo(n.apply(i));
        }
    }

    @Test
    void constantImagesOnlyCentre() {
        Normalization n = Normalization.fit(pixels(51, 51, 51));
        assertThat(n.std()).isEqualTo(1f);
        assertThat(n.apply(51)).isCloseTo(0f, within(1e-7f));
    }

    @Test
    void rejectsEmptySetAndBadStd() {
        assertThatThrownBy(() -> Normalization.fit(pixels())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Normalization(0f, 0f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Normalization(Float.NaN, 1f)).isInstanceOf(IllegalArgumentException.class);
    }
}
