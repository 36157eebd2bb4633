package dev.anytimenn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AugmentationTest {

    /** Identity lookup offset by 1000, so padding (raw 0 -> 1000) is distinguishable from pixels 1..16. */
    private static final float[][] LUT = new float[2][256];

    static {
        for (int i = 0; i < 256; i++) {
            LUT[0][i] = 1000 + i;
            LUT[1][i] = 1000 + i;
        }
    }

    // 4x4 image with values 1..16, row-major; asymmetric both ways.
    private static final byte[] IMG = {
        1, 2, 3, 4,
        5, 6, 7, 8,
        9, 10, 11, 12,
        13, 14, 15, 16,
    };

    private static float[] render(int padding, int offsetY, int offsetX, boolean mirror) {
        float[] out = new float[16];
        Augmentation.render(IMG, 0, 1, 4, 4, LUT, padding, offsetY, offsetX, mirror, out, 0);
        float[] raw = new float[16];
        for (int i = 0; i < 16; i++) {
            raw[i] = out[i] - 1000;
        }
        return raw;
    }

    @Test
    void centredCropIsIdentity() {
        assertThat(render(0, 0, 0, false)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
        assertThat(render(2, 2, 2, false)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
    }

    @Test
    void topLeftCropShiftsContentDownRight() {
        // out[y][x] = img[y-2][x-2]; the first two rows and columns are padding
        assertThat(render(2, 0, 0, false)).containsExactly(
                0, 0, 0, 0,
                0, 0, 0, 0,
                0, 0, 1, 2,
                0, 0, 5, 6);
    }

    @Test
    void bottomRightCropShiftsContentUpLeft() {
        assertThat(render(2, 4, 3, false)).containsExactly(
                10, 11, 12, 0,
                14, 15, 16, 0,
                0, 0, 0, 0,
                0, 0, 0, 0);
        assertThat(render(2, 3, 2, false)).containsExactly(
                5, 6, 7, 8,
                9, 10, 11, 12,
                13, 14, 15, 16,
                0, 0, 0, 0);
    }

    @Test
    void mirrorFlipsRows() {
        assertThat(render(0, 0, 0, true)).containsExactly(4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9, 16, 15, 14, 13);
    }

    @Test
    void mirrorAppliesAfterCrop() {
        // crop shifted content right by 1 (offsetX = padding - 1): 0 1 2 3 / ..., then mirror: 3 2 1 0
        assertThat(render(1, 1, 0, true)).containsExactly(3, 2, 1, 0, 7, 6, 5, 0, 11, 10, 9, 0, 15, 14, 13, 0);
    }

    @Test
    void everyChannelGetsTheSameTransform() {
        byte[] two = new byte[8];
        for (int i = 0; i < 8; i++) {
            two[i] = (byte) (i + 1); // channel 0: 1..4, channel 1: 5..8, each 2x2
        }
        float[] out = new float[8];
        Augmentation.render(two, 0, 2, 2, 2, LUT, 1, 0, 1, true, out, 0);
        // shift down 1, then mirror: row0 = padding, row1 = mirrored row0 of source
        for (int i = 0; i < 8; i++) {
            out[i] -= 1000;
        }
        assertThat(out).containsExactly(0, 0, 2, 1, 0, 0, 6, 5);
    }

    /** Padding is raw black, so after normalisation it takes each channel's own value for 0. */
    @Test
    void paddingIsEachChannelsNormalisedZero() {
        Normalization norm = new Normalization(new float[] {0.5f, 0.25f, 0f}, new float[] {0.5f, 0.25f, 1f});
        byte[] img = new byte[3 * 4]; // 3 channels of 2x2, all 255
        Arrays.fill(img, (byte) 255);
        float[] out = new float[12];
        Augmentation.render(img, 0, 3, 2, 2, norm.lookupTables(), 1, 0, 0, false, out, 0);
        // shifted down-right by 1: only the bottom-right pixel of each channel is image, the rest padding
        assertThat(out).containsExactly(
                -1, -1, -1, 1,
                -1, -1, -1, 3,
                0, 0, 0, 1);
    }

    @Test
    void rejectsNegativePadding() {
        assertThatThrownBy(() -> new Augmentation(-1, false)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Augmentation.NONE.isNone()).isTrue();
        assertThat(new Augmentation(0, true).isNone()).isFalse();
    }
}
