package dev.anytimenn.data;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.Arrays;
import java.util.Objects;

/**
 * Per-channel mean/std standardisation of pixels scaled to [0, 1].
 *
 * <p>Both arrays have one entry per image channel. They are copied in and out, so an instance cannot be
 * changed after it has been fitted (it is stored in checkpoints and must keep describing that model).
 *
 * @param mean mean of each channel's scaled pixels
 * @param std population standard deviation of each channel's scaled pixels
 */
public record Normalization(
        // Checkpoints written before normalisation was per channel hold plain numbers; they read as 1 channel.
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) float[] mean,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) float[] std) {

    public Normalization {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("need one mean and one std per channel (at least one channel), got "
                    + mean.length + " means and " + std.length + " stds");
        }
        for (int c = 0; c < mean.length; c++) {
            if (!Float.isFinite(mean[c]) || !Float.isFinite(std[c]) || std[c] <= 0) {
                throw new IllegalArgumentException("need a finite mean and a positive std, got " + mean[c] + ", "
                        + std[c] + " for channel " + c);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** One channel, e.g. grey images. */
    public static Normalization singleChannel(float mean, float std) {
        return new Normalization(new float[] {mean}, new float[] {std});
    }

    /**
     * Population mean and std of each channel over every pixel of {@code train}. Fit on the training split
     * only, so the validation and test sets are normalised with statistics they did not contribute to.
     */
    public static Normalization fit(ImageSet train) {
        byte[] px = train.pixels();
        if (px.length == 0) {
            throw new IllegalArgumentException("cannot fit a normalisation on an empty image set");
        }
        int channels = train.channels();
        int plane = train.height() * train.width();
        // Integer sums are exact (150M pixels * 255^2 fits a long easily), so only the final division rounds.
        long[] sum = new long[channels];
        long[] sumSq = new long[channels];
        for (int start = 0; start < px.length; start += plane) {
            int c = (start / plane) % channels; // pixels are N x C x H x W: planes cycle through the channels
            long s = 0;
            long sq = 0;
            for (int k = start, end = start + plane; k < end; k++) {
                int v = px[k] & 0xFF;
                s += v;
                sq += v * v; // < 2^16 per pixel, so an int product is exact
            }
            sum[c] += s;
            sumSq[c] += sq;
        }
        double n = (double) train.size() * plane;
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / n / 255.0;
            double var = Math.max(0, sumSq[c] / n / (255.0 * 255.0) - m * m);
            double sd = Math.sqrt(var);
            mean[c] = (float) m;
            // A constant channel has std 0; dividing by 1 then just centres it instead of producing NaN.
            std[c] = sd > 1e-12 ? (float) sd : 1f;
        }
        return new Normalization(mean, std);
    }

    /** Number of channels this normalisation was fitted for. */
    public int channels() {
        return mean.length;
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** Normalised value of one raw pixel of {@code channel}; accepts 0..255 or a sign-extended byte. */
    public float apply(int channel, int pixelByte) {
        return ((pixelByte & 0xFF) / 255f - mean[channel]) / std[channel];
    }

    /**
     * {@link #apply} for every channel and byte value, {@code [channel][byte]}, so hot loops do a table
     * lookup instead of arithmetic.
     */
    public float[][] lookupTables() {
        float[][] luts = new float[mean.length][256];
        for (int c = 0; c < luts.length; c++) {
            for (int i = 0; i < 256; i++) {
                luts[c][i] = apply(c, i);
            }
        }
        return luts;
    }

    /** Fails unless images of {@code channels} channels can be normalised with this. */
    public void requireChannels(int channels) {
        if (channels != mean.length) {
            throw new IllegalArgumentException("the normalisation has " + mean.length
                    + " channel(s) but the images have " + channels);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
