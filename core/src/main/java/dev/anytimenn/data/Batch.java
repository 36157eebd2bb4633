package dev.anytimenn.data;

/**
 * One mini-batch ready for the trainer: normalised (and, when training, augmented) images N x C x H x W.
 * {@code size} may be smaller than the configured batch size for the last batch of an epoch.
 */
public record Batch(float[] images, int[] labels, int size, int channels, int height, int width) {

    public Batch {
        if (labels.length != size || images.length != (long) size * channels * height * width) {
            throw new IllegalArgumentException("batch of " + size + " images of " + channels + "x" + height + "x"
                    + width + " got " + images.length + " floats and " + labels.length + " labels");
        }
    }

    /** Floats per image (C*H*W). */
    public int imageSize() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return "Batch[" + size + " x " + channels + "x" + height + "x" + width + "]";
    }
}
