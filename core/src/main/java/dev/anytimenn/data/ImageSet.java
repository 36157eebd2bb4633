package dev.anytimenn.data;

import java.util.Objects;

/**
 * Labelled images held as raw uint8 pixels, row-major N x C x H x W.
 *
 * <p>Pixels stay bytes (4x smaller than floats) until a batch is assembled; the arrays are shared,
 * not copied, by the constructor, and callers must not modify them afterwards.
 */
public record ImageSet(byte[] pixels, int[] labels, int channels, int height, int width, int classes) {

    public ImageSet {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "image shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        if (classes <= 0) {
            throw new IllegalArgumentException("classes must be positive, got " + classes);
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes but " + labels.length
                    + " images of " + channels + "x" + height + "x" + width + " need " + expected);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(
                        "label " + labels[i] + " at index " + i + " is outside [0, " + classes + ")");
            }
        }
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Bytes per image (C*H*W). */
    public int imageSize() {
        return channels * height * width;
    }

    /** Copy of images {@code [from, to)}. */
    public ImageSet slice(int from, int to) {
        Objects.checkFromToIndex(from, to, size());
        int px = imageSize();
        byte[] p = new byte[(to - from) * px];
        System.arraycopy(pixels, from * px, p, 0, p.length);
        int[] l = new int[to - from];
        System.arraycopy(labels, from, l, 0, l.length);
        return new ImageSet(p, l, channels, height, width, classes);
    }

    /** Copy of the images at {@code indices}, in that order (repeats allowed). */
    public ImageSet take(int[] indices) {
        int px = imageSize();
        byte[] p = new byte[indices.length * px];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int idx = Objects.checkIndex(indices[i], size());
            System.arraycopy(pixels, idx * px, p, i * px, px);
            l[i] = labels[idx];
        }
        return new ImageSet(p, l, channels, height, width, classes);
    }

    @Override
    public String toString() {
        return "ImageSet[" + size() + " x " + channels + "x" + height + "x" + width + ", " + classes + " classes]";
    }
}
