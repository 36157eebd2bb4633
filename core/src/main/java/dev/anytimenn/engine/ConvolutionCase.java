package dev.anytimenn.engine;

import java.util.Locale;

/**
 * One convolution shape to check: a square input of {@code size}, a square {@code kernel} with "same"
 * padding, a stride, and the number of engine threads to run it on.
 */
public record ConvolutionCase(int batch, int inChannels, int outChannels, int size, int kernel, int stride,
        int threads) {

    public ConvolutionCase {
        if (batch < 1 || inChannels < 1 || outChannels < 1 || size < 1 || kernel < 1 || stride < 1 || threads < 1) {
            throw new IllegalArgumentException("every dimension of a convolution case must be positive: " + this);
        }
    }

    public int outSize() {
        return (size + 2 * (kernel / 2) - kernel) / stride + 1;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%dx%d conv %d->%d channels, stride %d, %dx%d input, batch %d, %d thread%s",
                kernel, kernel, inChannels, outChannels, stride, size, size, batch, threads, threads == 1 ? "" : "s");
    }
}
