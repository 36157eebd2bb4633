package dev.anytimenn.model;

import ai.djl.ndarray.types.Shape;

/** Shape of one input image: channels x height x width. */
public record InputShape(int channels, int height, int width) {

    public InputShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "input shape must be positive, got " + channels + "x" + height + "x" + width);
        }
    }

    /** The NCHW shape of a batch of {@code batch} such images. */
    public Shape batchShape(long batch) {
        return new Shape(batch, channels, height, width);
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
