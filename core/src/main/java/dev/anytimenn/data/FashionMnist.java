package dev.anytimenn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Fashion-MNIST in its original IDX layout: 60000 train and 10000 test images of 28x28, 10 classes. */
public final class FashionMnist {

    /** Where the Debian package {@code dataset-fashion-mnist} installs the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    public static final int CLASSES = 10;
    public static final int HEIGHT = 28;
    public static final int WIDTH = 28;

    // Names without ".gz"; each may be present compressed or not.
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private static final List<String> ALL = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private FashionMnist() {}

    public static ImageSet train(Path dir) throws MissingDataException, DataFormatException, IOException {
        return load(dir, TRAIN_IMAGES, TRAIN_LABELS);
    }

    public static ImageSet test(Path dir) throws MissingDataException, DataFormatException, IOException {
        return load(dir, TEST_IMAGES, TEST_LABELS);
    }

    /** The ".gz" names of the files found in neither form in {@code dir}; empty when everything is there. */
    public static List<String> missingFiles(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String base : ALL) {
            if (resolve(dir, base) == null) {
                missing.add(base + ".gz");
            }
        }
        return missing;
    }

    private static ImageSet load(Path dir, String imagesBase, String labelsBase)
            throws MissingDataException, DataFormatException, IOException {
        Path images = resolve(dir, imagesBase);
        Path labels = resolve(dir, labelsBase);
        if (images == null || labels == null) {
            // Report every missing file, not just this split's, so one fix makes train and test work.
            throw new MissingDataException(dir, missingFiles(dir), !Files.isDirectory(dir));
        }
        return IdxImageSets.load(images, labels, CLASSES);
    }

    // The compressed name wins when both exist: it is what the Debian package ships.
    private static Path resolve(Path dir, String base) {
        for (String name : List.of(base + ".gz", base)) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
