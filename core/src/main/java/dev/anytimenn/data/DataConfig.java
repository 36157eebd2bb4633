package dev.anytimenn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which data set a run uses, where its files are and how to read them.
 *
 * @param dataset "fashion-mnist" or "mnist" (IDX files with the standard names), "cifar10" or "cifar100"
 *     (the binary versions), or "folder" (see {@link ImageFolder})
 * @param dir the folder holding the files; only fashion-mnist has a default, {@link FashionMnist#DEFAULT_DIR}
 * @param label cifar100 only: "fine" (100 classes, the default) or "coarse" (20 classes); null for the others
 * @param imageSize side of the square images: the folder data set is resized to it (8..512, default 32); the
 *     others are not resized, so it must be 0 (filled in) or their native size, 28 or 32
 * @param splitSeed folder data set without train/ and test/ folders: the seed choosing the test images
 */
public record DataConfig(String dataset, String dir, String label, int imageSize, long splitSeed) {

    public static final List<String> DATASETS = List.of("fashion-mnist", "mnist", "cifar10", "cifar100", "folder");
    public static final int MIN_IMAGE_SIZE = 8;
    public static final int MAX_IMAGE_SIZE = 512;

    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    public DataConfig {
        dataset = dataset == null ? "fashion-mnist" : dataset.toLowerCase(Locale.ROOT);
        if (!DATASETS.contains(dataset)) {
            throw new IllegalArgumentException("unknown dataset '" + dataset + "'; choose one of: "
                    + String.join(", ", DATASETS));
        }
        if (dir == null || dir.isBlank()) {
            if (!dataset.equals("fashion-mnist")) {
                // Only Fashion-MNIST has a system package with a known place; guessing would load the wrong data.
                throw new IllegalArgumentException("dir is required for dataset " + dataset
                        + ": pass --data DIR with the folder holding its files");
            }
            dir = FashionMnist.DEFAULT_DIR.toString();
        }
        if (label != null) {
            label = Cifar100.Label.of(label).id();
        } else if (dataset.equals("cifar100")) {
            label = Cifar100.Label.FINE.id();
        }
        int nativeSize = switch (dataset) {
            case "fashion-mnist", "mnist" -> FashionMnist.HEIGHT;
            case "cifar10", "cifar100" -> CifarBinary.SIDE;
            default -> 0;
        };
        if (imageSize == 0) {
            imageSize = nativeSize == 0 ? ImageFolder.DEFAULT_SIZE : nativeSize;
        } else if (nativeSize == 0 && (imageSize < MIN_IMAGE_SIZE || imageSize > MAX_IMAGE_SIZE)) {
            throw new IllegalArgumentException("imageSize must be " + MIN_IMAGE_SIZE + ".." + MAX_IMAGE_SIZE
                    + ", got " + imageSize);
        } else if (nativeSize != 0 && imageSize != nativeSize) {
            throw new IllegalArgumentException("imageSize must be " + nativeSize + " for dataset " + dataset
                    + " (only the folder data set is resized), got " + imageSize);
        }
    }

    /** Default label, image size and seed. */
    public DataConfig(String dataset, String dir) {
        this(dataset, dir, null, 0, 0L);
    }

    public static DataConfig fashionMnist(Path dir) {
        return new DataConfig("fashion-mnist", dir == null ? null : dir.toString());
    }

    /** The same data set read from another folder, e.g. to evaluate a run on a copy of its data. */
    public DataConfig withDir(String newDir) {
        return new DataConfig(dataset, newDir, label, imageSize, splitSeed);
    }

    public Path path() {
        return Path.of(dir);
    }

    public ImageSet loadTrain() throws MissingDataException, DataFormatException, IOException {
        return switch (dataset) {
            case "fashion-mnist" -> FashionMnist.train(path());
            case "mnist" -> mnist(true);
            case "cifar10" -> Cifar10.train(path());
            case "cifar100" -> Cifar100.train(path(), cifar100Label());
            default -> ImageFolder.train(path(), imageSize, splitSeed).images();
        };
    }

    public ImageSet loadTest() throws MissingDataException, DataFormatException, IOException {
        return switch (dataset) {
            case "fashion-mnist" -> FashionMnist.test(path());
            case "mnist" -> mnist(false);
            case "cifar10" -> Cifar10.test(path());
            case "cifar100" -> Cifar100.test(path(), cifar100Label());
            default -> ImageFolder.test(path(), imageSize, splitSeed).images();
        };
    }

    /** The folder data set's {@code val/} part; empty for the other data sets and the flat folder layout. */
    public Optional<ImageSet> loadValidation() throws MissingDataException, DataFormatException, IOException {
        if (!dataset.equals("folder")) {
            return Optional.empty();
        }
        return ImageFolder.validation(path(), imageSize, splitSeed).map(LabelledImages::images);
    }

    /** The name of each class, in label order. */
    public List<String> classNames() throws MissingDataException, DataFormatException, IOException {
        return switch (dataset) {
            case "fashion-mnist" -> FashionMnist.CLASS_NAMES;
            case "mnist" -> DIGITS;
            case "cifar10" -> Cifar10.classNames(path());
            case "cifar100" -> Cifar100.classNames(path(), cifar100Label());
            default -> ImageFolder.classNames(path());
        };
    }

    /**
     * Training-time augmentation that suits the data set: small shifts for the centred digits and
     * clothes (a flip would turn some digits into others), the usual 4-pixel crop and flip for CIFAR, and
     * flips only for arbitrary folders, whose images may not survive losing their borders.
     */
    public Augmentation defaultAugmentation() {
        return switch (dataset) {
            case "fashion-mnist", "mnist" -> new Augmentation(2, false);
            case "cifar10", "cifar100" -> new Augmentation(4, true);
            default -> new Augmentation(0, true);
        };
    }

    private Cifar100.Label cifar100Label() {
        return Cifar100.Label.of(label);
    }

    // Same IDX files and names as Fashion-MNIST, but the Fashion-MNIST advice would mislead.
    private ImageSet mnist(boolean train) throws MissingDataException, DataFormatException, IOException {
        try {
            return train ? FashionMnist.train(path()) : FashionMnist.test(path());
        } catch (MissingDataException e) {
            String files = String.join(", ", e.missingFiles());
            throw new MissingDataException(e.dir(), e.missingFiles(), "MNIST data folder " + dir
                    + (Files.isDirectory(path()) ? " is missing " + files
                    : " does not exist (expected files: " + files + ")")
                    + " (the un-gzipped names are accepted too); place the four MNIST IDX files there");
        }
    }
}
