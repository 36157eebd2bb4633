package dev.anytimenn.data;

/** Train/validation partition of one image set. */
public record Split(ImageSet train, ImageSet validation) {

    /**
     * Uses the last {@code validationSize} images as validation. Deterministic and independent of any seed,
     * so every run (and every resumed run) validates on the same images.
     */
    public static Split holdOutLast(ImageSet all, int validationSize) {
        if (validationSize < 0 || validationSize >= all.size()) {
            throw new IllegalArgumentException("validation size " + validationSize + " must be in [0, "
                    + all.size() + ") so that at least one of the " + all.size() + " images is left for training");
        }
        int cut = all.size() - validationSize;
        return new Split(all.slice(0, cut), all.slice(cut, all.size()));
    }
}
