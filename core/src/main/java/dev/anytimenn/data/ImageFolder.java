package dev.anytimenn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A folder of PNG/JPEG images with one sub-folder per class, in one of two layouts:
 * <ul>
 *   <li><b>split</b>: {@code train/}, {@code test/} and optionally {@code val/}, each holding the same class
 *       folders;</li>
 *   <li><b>flat</b>: the class folders themselves; {@value #TEST_PERCENT} % of each class (rounded, at least
 *       one image left for training) becomes the test part, chosen by a seed.</li>
 * </ul>
 * A folder holding {@code train/} or {@code test/} is taken to be the split layout. Class names are the class
 * folder names sorted by {@link String#compareTo} (so "B" before "a"); the label is the index in that list.
 * Names starting with "." are ignored; every other file in a class folder must be a readable image.
 *
 * <p>Images are resized to {@code size x size} with bilinear interpolation. They are kept as RGB (3
 * channels) unless every image of the training part is grey, i.e. has R = G = B in every pixel after
 * resizing: then all parts are 1-channel (colour images in the other parts are converted by luminance). The
 * rule looks at content, not the file's colour model, so grey pictures saved as RGB still give 1 channel; and
 * it looks at the training part only, so every part of one data set gets the same shape.
 *
 * <p>The training part comes in a seeded random order, so that a validation set held out from its end (see
 * {@link Split#holdOutLast}) samples every class; the other parts keep class order.
 */
public final class ImageFolder {

    public static final String TRAIN = "train";
    public static final String VALIDATION = "val";
    public static final String TEST = "test";
    public static final int TEST_PERCENT = 20;
    public static final int DEFAULT_SIZE = 32;

    private static final long SPLIT_STREAM = 11;
    private static final long ORDER_STREAM = 12;

    private enum Part { TRAIN, VALIDATION, TEST }

    /** Each class's image files, per part. */
    private record Layout(List<String> classes, Map<Part, List<List<Path>>> files) {}

    private ImageFolder() {}

    public static LabelledImages train(Path dir, int size, long splitSeed)
            throws MissingDataException, DataFormatException, IOException {
        return load(dir, size, splitSeed, Part.TRAIN);
    }

    public static LabelledImages test(Path dir, int size, long splitSeed)
            throws MissingDataException, DataFormatException, IOException {
        return load(dir, size, splitSeed, Part.TEST);
    }

    /** The {@code val/} part of the split layout; empty when there is none. */
    public static Optional<LabelledImages> validation(Path dir, int size, long splitSeed)
            throws MissingDataException, DataFormatException, IOException {
        Layout layout = scan(dir, splitSeed);
        return layout.files().containsKey(Part.VALIDATION)
                ? Optional.of(load(layout, size, splitSeed, Part.VALIDATION)) : Optional.empty();
    }

    public static List<String> classNames(Path dir) throws MissingDataException, DataFormatException, IOException {
        return scan(dir, 0).classes();
    }

    private static LabelledImages load(Path dir, int size, long seed, Part part)
            throws MissingDataException, DataFormatException, IOException {
        return load(scan(dir, seed), size, seed, part);
    }

    private static LabelledImages load(Layout layout, int size, long seed, Part part)
            throws DataFormatException, IOException {
        if (size <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + size);
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<List<Path>> perClass = layout.files().get(part);
        for (int c = 0; c < perClass.size(); c++) {
            for (Path f : perClass.get(c)) {
                files.add(f);
                labels.add(c);
            }
        }
        int[] order = part == Part.TRAIN ? SplitMix64.permutation(files.size(), SplitMix64.derive(seed, ORDER_STREAM))
                : identity(files.size());
        int plane = size * size;
        int rgbSize = 3 * plane;
        byte[] rgb = new byte[Math.multiplyExact(files.size(), rgbSize)];
        int[] l = new int[files.size()];
        boolean allGrey = true;
        for (int i = 0; i < order.length; i++) {
            byte[] image = ImageFiles.read(files.get(order[i]), 3, size, size, false);
            System.arraycopy(image, 0, rgb, i * rgbSize, rgbSize);
            l[i] = labels.get(order[i]);
            allGrey &= isGrey(image, plane);
        }
        boolean grey = part == Part.TRAIN ? allGrey : trainingPartIsGrey(layout, size);
        ImageSet set = grey ? new ImageSet(toGrey(rgb, l.length, plane), l, 1, size, size, layout.classes().size())
                : new ImageSet(rgb, l, 3, size, size, layout.classes().size());
        return new LabelledImages(set, layout.classes());
    }

    // Stops at the first colour image, so for colour data sets this costs one image.
    private static boolean trainingPartIsGrey(Layout layout, int size) throws DataFormatException, IOException {
        for (List<Path> files : layout.files().get(Part.TRAIN)) {
            for (Path f : files) {
                if (!isGrey(ImageFiles.read(f, 3, size, size, false), size * size)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isGrey(byte[] rgb, int plane) {
        for (int p = 0; p < plane; p++) {
            if (rgb[p] != rgb[p + plane] || rgb[p] != rgb[p + 2 * plane]) {
                return false;
            }
        }
        return true;
    }

    /** Luminance as in {@link ImageFiles#read} with 1 channel; exact for pixels with R = G = B. */
    private static byte[] toGrey(byte[] rgb, int images, int plane) {
        byte[] grey = new byte[images * plane];
        for (int i = 0; i < images; i++) {
            int src = i * 3 * plane;
            for (int p = 0; p < plane; p++) {
                int r = rgb[src + p] & 0xFF;
                int g = rgb[src + plane + p] & 0xFF;
                int b = rgb[src + 2 * plane + p] & 0xFF;
                grey[i * plane + p] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
            }
        }
        return grey;
    }

    private static Layout scan(Path dir, long seed) throws MissingDataException, DataFormatException, IOException {
        if (!Files.isDirectory(dir)) {
            throw new MissingDataException(dir, List.of(), "image folder " + dir + " does not exist; it needs one "
                    + "sub-folder of PNG/JPEG images per class, or train/ and test/ sub-folders that each hold them");
        }
        List<String> top = subfolders(dir);
        boolean hasTrain = top.contains(TRAIN);
        boolean hasTest = top.contains(TEST);
        if (hasTrain != hasTest) {
            throw new DataFormatException(dir, "has a " + (hasTrain ? TRAIN : TEST) + "/ folder but no "
                    + (hasTrain ? TEST : TRAIN) + "/ folder (the split layout needs both; in the flat layout no "
                    + "class may be called train or test)");
        }
        Map<Part, List<List<Path>>> files = new EnumMap<>(Part.class);
        if (hasTrain) {
            List<String> classes = classFolders(dir.resolve(TRAIN));
            files.put(Part.TRAIN, imagesPerClass(dir.resolve(TRAIN), classes));
            sameClasses(dir, TEST, classes);
            files.put(Part.TEST, imagesPerClass(dir.resolve(TEST), classes));
            if (top.contains(VALIDATION)) {
                sameClasses(dir, VALIDATION, classes);
                files.put(Part.VALIDATION, imagesPerClass(dir.resolve(VALIDATION), classes));
            }
            return new Layout(classes, files);
        }
        List<String> classes = classFolders(dir);
        List<List<Path>> train = new ArrayList<>();
        List<List<Path>> test = new ArrayList<>();
        List<List<Path>> all = imagesPerClass(dir, classes);
        for (int c = 0; c < all.size(); c++) {
            List<Path> images = all.get(c);
            int n = images.size();
            int testCount = (int) Math.min(n - 1, Math.round(n * TEST_PERCENT / 100.0));
            // Per class, so every class keeps its share; seeded by class index so classes are independent.
            int[] perm = SplitMix64.permutation(n, SplitMix64.derive(seed, SPLIT_STREAM, c));
            int[] testIdx = Arrays.copyOfRange(perm, 0, testCount);
            int[] trainIdx = Arrays.copyOfRange(perm, testCount, n);
            test.add(pick(images, testIdx));
            train.add(pick(images, trainIdx));
        }
        files.put(Part.TRAIN, train);
        files.put(Part.TEST, test);
        return new Layout(classes, files);
    }

    // Sorted indices, so each part lists its files in name order whatever the permutation.
    private static List<Path> pick(List<Path> images, int[] indices) {
        Arrays.sort(indices);
        List<Path> out = new ArrayList<>();
        for (int i : indices) {
            out.add(images.get(i));
        }
        return out;
    }

    private static List<String> classFolders(Path dir) throws DataFormatException, IOException {
        List<String> classes = subfolders(dir);
        if (classes.isEmpty()) {
            throw new DataFormatException(dir, "holds no class folders (expected one sub-folder of images per class)");
        }
        return classes;
    }

    private static void sameClasses(Path dir, String part, List<String> trainClasses)
            throws DataFormatException, IOException {
        List<String> classes = subfolders(dir.resolve(part));
        if (!classes.equals(trainClasses)) {
            TreeSet<String> missing = new TreeSet<>(trainClasses);
            missing.removeAll(classes);
            TreeSet<String> extra = new TreeSet<>(classes);
            extra.removeAll(trainClasses);
            throw new DataFormatException(dir, "class folders of " + part + "/ differ from those of " + TRAIN
                    + "/: missing " + missing + ", extra " + extra);
        }
    }

    private static List<List<Path>> imagesPerClass(Path dir, List<String> classes)
            throws DataFormatException, IOException {
        List<List<Path>> out = new ArrayList<>();
        for (String c : classes) {
            Path folder = dir.resolve(c);
            List<Path> images;
            try (Stream<Path> s = Files.list(folder)) {
                images = s.filter(p -> !hidden(p) && Files.isRegularFile(p)).sorted().toList();
            }
            if (images.isEmpty()) {
                throw new DataFormatException(folder, "class folder holds no images");
            }
            out.add(images);
        }
        return out;
    }

    private static List<String> subfolders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !hidden(p) && Files.isDirectory(p))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }
}
