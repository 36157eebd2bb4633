package dev.anytimenn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.anytimenn.io.Jsons;
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
        assertThat(n.mean()).containsExactly(0.5f);
        assertThat(n.std()).containsExactly(0.5f);
        assertThat(n.apply(0, 255)).isEqualTo(1f);
        assertThat(n.apply(0, 0)).isEqualTo(-1f);
        assertThat(n.apply(0, (byte) 0xFF)).isEqualTo(1f); // sign-extended byte
    }

    @Test
    void unevenValues() {
        // 0, .2, .4, .6 -> mean .3, variance (.09+.01+.01+.09)/4 = .05
        Normalization n = Normalization.fit(pixels(0, 51, 102, 153));
        assertThat(n.mean()[0]).isCloseTo(0.3f, within(1e-7f));
        assertThat(n.std()[0]).isCloseTo((float) Math.sqrt(0.05), within(1e-7f));
        assertThat(n.apply(0, 102)).isCloseTo((float) (0.1 / Math.sqrt(0.05)), within(1e-6f));
    }

    /** Two 3x1x2 images; every channel gets its own statistics over both images. */
    @Test
    void fitsEachChannelSeparately() {
        byte[] p = {
            // image 0: R = 0, 255   G = 51, 51     B = 0, 51
            0, (byte) 255, 51, 51, 0, 51,
            // image 1: R = 0, 255   G = 51, 51     B = 102, 153
            0, (byte) 255, 51, 51, 102, (byte) 153,
        };
        Normalization n = Normalization.fit(new ImageSet(p, new int[2], 3, 1, 2, 1));
        assertThat(n.channels()).isEqualTo(3);
        // R: 0, 1, 0, 1 -> .5 +- .5; G: constant .2 -> std 1; B: 0, .2, .4, .6 -> .3 +- sqrt(.05)
        assertThat(n.mean()).containsExactly(new float[] {0.5f, 0.2f, 0.3f}, within(1e-7f));
        assertThat(n.std()).containsExactly(new float[] {0.5f, 1f, (float) Math.sqrt(0.05)}, within(1e-7f));
        assertThat(n.apply(0, 255)).isEqualTo(1f);
        assertThat(n.apply(1, 51)).isCloseTo(0f, within(1e-7f));
        assertThat(n.apply(2, 0)).isCloseTo((float) (-0.3 / Math.sqrt(0.05)), within(1e-6f));
    }

    @Test
    void lookupTablesMatchApply() {
        Normalization n = new Normalization(new float[] {0.49f, 0.48f, 0.45f}, new float[] {0.25f, 0.24f, 0.26f});
        float[][] luts = n.lookupTables();
        assertThat(luts).hasNumberOfRows(3);
        for (int c = 0; c < 3; c++) {
            assertThat(luts[c]).hasSize(256);
            for (int i = 0; i < 256; i++) {
                assertThat(luts[c][i]).isEqualTo(n.apply(c, i));
            }
        }
    }

    @Test
    void constantImagesOnlyCentre() {
        Normalization n = Normalization.fit(pixels(51, 51, 51));
        assertThat(n.std()).containsExactly(1f);
        assertThat(n.apply(0, 51)).isCloseTo(0f, within(1e-7f));
    }

    @Test
    void rejectsEmptySetAndBadValues() {
        assertThatThrownBy(() -> Normalization.fit(pixels())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Normalization.singleChannel(0f, 0f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Normalization.singleChannel(Float.NaN, 1f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Normalization(new float[] {0f, 0f}, new float[] {1f}))
                .hasMessageContaining("2 means and 1 stds");
        assertThatThrownBy(() -> new Normalization(new float[0], new float[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Normalization(new float[] {0f, 0f}, new float[] {1f, -1f}))
                .hasMessageContaining("channel 1");
    }

    @Test
    void isImmutableAndComparesContents() {
        float[] mean = {0.1f, 0.2f};
        Normalization n = new Normalization(mean, new float[] {1f, 2f});
        mean[0] = 9f;
        n.mean()[1] = 9f;
        assertThat(n.mean()).containsExactly(0.1f, 0.2f);
        assertThat(n).isEqualTo(new Normalization(new float[] {0.1f, 0.2f}, new float[] {1f, 2f}))
                .hasSameHashCodeAs(new Normalization(new float[] {0.1f, 0.2f}, new float[] {1f, 2f}))
                .isNotEqualTo(new Normalization(new float[] {0.1f, 0.2f}, new float[] {1f, 3f}));
        assertThat(n.toString()).contains("[0.1, 0.2]");
    }

    @Test
    void jsonRoundTrip() throws Exception {
        Normalization n = new Normalization(new float[] {0.49f, 0.48f, 0.45f}, new float[] {0.25f, 0.24f, 0.26f});
        String json = Jsons.MAPPER.writeValueAsString(n);
        assertThat(json).contains("\"mean\": [").contains("\"std\": [");
        assertThat(Jsons.MAPPER.readValue(json, Normalization.class)).isEqualTo(n);
    }

    /** Checkpoints written before normalisation was per channel hold single numbers. */
    @Test
    void readsTheOldSingleValueJson() throws Exception {
        Normalization n = Jsons.MAPPER.readValue("{\"mean\": 0.286, \"std\": 0.353}", Normalization.class);
        assertThat(n).isEqualTo(Normalization.singleChannel(0.286f, 0.353f));
    }

    @Test
    void channelCountMustMatchTheImages() {
        Normalization n = Normalization.singleChannel(0.5f, 0.5f);
        n.requireChannels(1);
        assertThatThrownBy(() -> n.requireChannels(3))
                .hasMessage("the normalisation has 1 channel(s) but the images have 3");
    }
}
