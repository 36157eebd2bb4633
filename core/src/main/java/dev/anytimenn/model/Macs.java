package dev.anytimenn.model;

/**
 * Multiply-accumulate counts of the layers that carry the arithmetic.
 *
 * <p>Only convolutions and linear layers are counted: batch norm, ReLU, pooling and additions are a
 * handful of operations per activation, below 2 % of a 3x3 convolution's work at these widths, and
 * the paper's cost axis counts the same way.
 */
public final class Macs {

    private Macs() {}

    /** A k x k convolution producing an outHeight x outWidth map. */
    public static long conv(int inChannels, int outChannels, int kernel, long outHeight, long outWidth) {
        return outHeight * outWidth * outChannels * (long) inChannels * kernel * kernel;
    }

    /** A fully connected layer. */
    public static long linear(long inFeatures, long outFeatures) {
        return inFeatures * outFeatures;
    }

    /** Output side of a convolution with the given kernel, stride and symmetric padding. */
    public static int convOutput(int size, int kernel, int stride, int padding) {
        return (size + 2 * padding - kernel) / stride + 1;
    }
}
