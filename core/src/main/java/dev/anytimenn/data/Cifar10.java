package dev.anytimenn.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 in its binary version: 50000 train images in five files and 10000 test images, 3x32x32,
 * 10 classes. The files may sit in the folder itself or in the {@value #SUBFOLDER} sub-folder the
 * archive unpacks to.
 */
public final class Cifar10 {

    public static final String SUBFOLDER = "cifar-10-batches-bin";
    public static final List<String> TRAIN_FILES = List.of(
            "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";
    /** Class names, one per line, shipped in the archive beside the batches. */
    public static final String NAMES_FILE = "batches.meta.txt";

    public static final int CLASSES = 10;
    public static final List<String> CLASS_NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private static final List<String> ALL = all();
    private static final int[] LABEL_LIMITS = {CLASSES};
    private static final String[] LABEL_NAMES = {"label"};

    private Cifar10() {}

    public static ImageSet train(Path dir) throws MissingDataException, DataFormatException, IOException {
        return load(dir, TRAIN_FILES);
    }

    public static ImageSet test(Path dir) throws MissingDataException, DataFormatException, IOException {
        return load(dir, List.of(TEST_FILE));
    }

    /** The names of the files found neither in {@code dir} nor in its sub-folder; empty when all are there. */
    public static List<String> missingFiles(Path dir) {
        return CifarBinary.missing(dir, SUBFOLDER, ALL);
    }

    /** The names in {@value #NAMES_FILE} when it is present, else the standard {@link #CLASS_NAMES}. */
    public static List<String> classNames(Path dir) throws DataFormatException, IOException {
        return CifarBinary.names(dir, SUBFOLDER, NAMES_FILE, CLASS_NAMES);
    }

    private static ImageSet load(Path dir, List<String> files)
            throws MissingDataException, DataFormatException, IOException {
        List<Path> paths = CifarBinary.locate(dir, SUBFOLDER, files, ALL, "CIFAR-10", "cifar-10-binary.tar.gz");
        return CifarBinary.read(paths, LABEL_LIMITS, LABEL_NAMES, 0);
    }

    private static List<String> all() {
        List<String> all = new ArrayList<>(TRAIN_FILES);
        all.add(TEST_FILE);
        return List.copyOf(all);
    }
}
