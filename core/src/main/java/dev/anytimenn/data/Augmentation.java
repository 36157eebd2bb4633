package dev.anytimenn.data;

import java.util.Arrays;

/**
 * Training-time augmentation: random crop from a zero-padded image, and random horizontal flip.
 *
 * @param padding pixels of raw value 0 added on each side before taking a random crop of the original size
 *     (after normalisation each channel's padding is that channel's value for 0, not 0 itself); 0 disables
 *     cropping
 * @param flip whether to mirror each image left-right with probability 0.5
 */
public record Augmentation(int padding, boolean flip) {

    public static final Augmentation NONE = new Augmentation(0, false);

    public Augmentation {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        }
    }

    public boolean isNone() {
        return padding == 0 && !flip;
    }

    /** Draws crop offsets and flip from {@code rng} (always in that order) and renders one image. */
    void apply(byte[] src, int srcOffset, int channels, int height, int width, float[][] luts,
            SplitMix64 rng, float[] dst, int dstOffset) {
        int offsetY = padding == 0 ? 0 : rng.nextInt(2 * padding + 1);
        int offsetX = padding == 0 ? 0 : rng.nextInt(2 * padding + 1);
        boolean mirror = flip && rng.nextBoolean();
        render(src, srcOffset, channels, height, width, luts, padding, offsetY, offsetX, mirror, dst, dstOffset);
    }

    /**
     * Deterministic core, separate from the random draws so tests can check exact pixels:
     * out[y][x] = padded[y + offsetY][x' + offsetX] with x' = W-1-x when mirrored, where
     * padded[i][j] = src[i - padding][j - padding] and pixels outside the source read as raw 0.
     * Channel c is normalised with {@code luts[c]}.
     */
    static void render(byte[] src, int srcOffset, int channels, int height, int width, float[][] luts,
            int padding, int offsetY, int offsetX, boolean mirror, float[] dst, int dstOffset) {
        int dy = offsetY - padding;
        int dx = offsetX - padding;
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            float[] lut = luts[c];
            float zero = lut[0]; // raw black, so padding looks the same in every channel before normalisation
            int srcPlane = srcOffset + c * plane;
            int dstPlane = dstOffset + c * plane;
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                int dstRow = dstPlane + y * width;
                if (sy < 0 || sy >= height) {
                    Arrays.fill(dst, dstRow, dstRow + width, zero);
                    continue;
                }
                int srcRow = srcPlane + sy * width;
                for (int x = 0; x < width; x++) {
                    int sx = (mirror ? width - 1 - x : x) + dx;
                    dst[dstRow + x] = sx < 0 || sx >= width ? zero : lut[src[srcRow + sx] & 0xFF];
                }
            }
        }
    }
}
