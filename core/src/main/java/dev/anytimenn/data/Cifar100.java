package dev.anytimenn.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CIFAR-100 in its binary version: 50000 train and 10000 test images, 3x32x32, each with a coarse
 * label (20 super-classes) and a fine label (100 classes). The files may sit in the folder itself or in
 * the {@value #SUBFOLDER} sub-folder the archive unpacks to.
 */
public final class Cifar100 {

    /** Which of the two labels of every image to learn. */
    public enum Label {
        FINE(100, "fine_label_names.txt"),
        COARSE(20, "coarse_label_names.txt");

        private final int classes;
        private final String namesFile;

        Label(int classes, String namesFile) {
            this.classes = classes;
            this.namesFile = namesFile;
        }

        public int classes() {
            return classes;
        }

        /** Class names, one per line, shipped in the archive beside the data. */
        public String namesFile() {
            return namesFile;
        }

        /** "fine" or "coarse". */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException unless {@code id} is "fine" or "coarse" (any case) */
        public static Label of(String id) {
            for (Label l : values()) {
                if (l.id().equalsIgnoreCase(id)) {
                    return l;
                }
            }
            throw new IllegalArgumentException("label must be fine or coarse, got '" + id + "'");
        }
    }

    public static final String SUBFOLDER = "cifar-100-binary";
    public static final String TRAIN_FILE = "train.bin";
    public static final String TEST_FILE = "test.bin";

    private static final List<String> ALL = List.of(TRAIN_FILE, TEST_FILE);
    // Record layout: coarse label byte, fine label byte, pixels.
    private static final int[] LABEL_LIMITS = {Label.COARSE.classes(), Label.FINE.classes()};
    private static final String[] LABEL_NAMES = {"coarse label", "fine label"};

    private Cifar100() {}

    public static ImageSet train(Path dir, Label label) throws MissingDataException, DataFormatException, IOException {
        return load(dir, TRAIN_FILE, label);
    }

    public static ImageSet test(Path dir, Label label) throws MissingDataException, DataFormatException, IOException {
        return load(dir, TEST_FILE, label);
    }

    /** The names of the files found neither in {@code dir} nor in its sub-folder; empty when all are there. */
    public static List<String> missingFiles(Path dir) {
        return CifarBinary.missing(dir, SUBFOLDER, ALL);
    }

    /**
     * The names in the label's names file when it is present; otherwise "class 0", "class 1", ...,
     * because the binary data files themselves hold no names.
     */
    public static List<String> classNames(Path dir, Label label) throws DataFormatException, IOException {
        List<String> numbered = new ArrayList<>();
        for (int i = 0; i < label.classes(); i++) {
            numbered.add("class " + i);
        }
        return CifarBinary.names(dir, SUBFOLDER, label.namesFile(), List.copyOf(numbered));
    }

    private static ImageSet load(Path dir, String file, Label label)
            throws MissingDataException, DataFormatException, IOException {
        List<Path> paths = CifarBinary.locate(dir, SUBFOLDER, List.of(file), ALL, "CIFAR-100",
                "cifar-100-binary.tar.gz");
        return CifarBinary.read(paths, LABEL_LIMITS, LABEL_NAMES, label == Label.COARSE ? 0 : 1);
    }
}
