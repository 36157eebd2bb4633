package dev.anytimenn.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The record format shared by the binary versions of CIFAR-10 and CIFAR-100: a few label bytes, then
 * 3072 pixel bytes (1024 R, 1024 G, 1024 B, each a row-major 32x32 plane), which is already the
 * C x H x W order of {@link ImageSet}.
 */
final class CifarBinary {

    static final int CHANNELS = 3;
    static final int SIDE = 32;
    static final int PIXELS = CHANNELS * SIDE * SIDE;

    private static final int BUFFER = 1 << 16;

    private CifarBinary() {}

    /**
     * Concatenates the records of {@code files}.
     *
     * @param labelLimits one entry per label byte: the number of classes that byte may encode; every label
     *     byte is checked, also the one not used
     * @param use which label byte becomes the {@link ImageSet} label
     * @param labelNames one name per label byte for messages, e.g. "coarse label"
     */
    static ImageSet read(List<Path> files, int[] labelLimits, String[] labelNames, int use)
            throws DataFormatException, IOException {
        int recordSize = labelLimits.length + PIXELS;
        long[] counts = new long[files.size()];
        long total = 0;
        for (int f = 0; f < files.size(); f++) {
            counts[f] = recordCount(files.get(f), recordSize);
            total += counts[f];
        }
        if (total * PIXELS > IdxReader.MAX_DATA_BYTES) {
            throw new DataFormatException(files.get(files.size() - 1), "together the files hold " + total
                    + " images, more than fit in one array of " + IdxReader.MAX_DATA_BYTES + " bytes");
        }
        byte[] pixels = new byte[(int) total * PIXELS];
        int[] labels = new int[(int) total];
        byte[] header = new byte[labelLimits.length];
        int at = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
                for (int r = 0; r < counts[f]; r++, at++) {
                    // The size was checked, so a short read means the file shrank while we read it.
                    if (in.readNBytes(header, 0, header.length) < header.length
                            || in.readNBytes(pixels, at * PIXELS, PIXELS) < PIXELS) {
                        throw new DataFormatException(file, "truncated: the file ended inside record " + r);
                    }
                    for (int b = 0; b < header.length; b++) {
                        int label = header[b] & 0xFF;
                        if (label >= labelLimits[b]) {
                            throw new DataFormatException(file, labelNames[b] + " " + label + " of record " + r
                                    + " is outside [0, " + labelLimits[b] + ")");
                        }
                    }
                    labels[at] = header[use] & 0xFF;
                }
            }
        }
        return new ImageSet(pixels, labels, CHANNELS, SIDE, SIDE, labelLimits[use]);
    }

    private static long recordCount(Path file, int recordSize) throws DataFormatException, IOException {
        long size = Files.size(file);
        if (size == 0) {
            throw new DataFormatException(file, "empty: 0 bytes, expected " + recordSize + "-byte records");
        }
        if (size % recordSize != 0) {
            throw new DataFormatException(file, "truncated: " + size + " bytes is not a whole number of "
                    + recordSize + "-byte records");
        }
        return size / recordSize;
    }

    /**
     * {@code dir/name} or, failing that, {@code dir/subfolder/name}, the layout the archives unpack to;
     * null if neither is a file.
     */
    static Path resolve(Path dir, String subfolder, String name) {
        for (Path p : List.of(dir.resolve(name), dir.resolve(subfolder).resolve(name))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    static List<String> missing(Path dir, String subfolder, List<String> names) {
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            if (resolve(dir, subfolder, name) == null) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** The files named, all of which must exist; otherwise every missing file of the data set is reported. */
    static List<Path> locate(Path dir, String subfolder, List<String> wanted, List<String> all, String dataSet,
            String archive) throws MissingDataException {
        List<String> missing = missing(dir, subfolder, all);
        List<Path> found = new ArrayList<>();
        for (String name : wanted) {
            Path p = resolve(dir, subfolder, name);
            if (p == null) {
                throw new MissingDataException(dir, missing, missingMessage(dir, subfolder, missing, dataSet,
                        archive));
            }
            found.add(p);
        }
        return found;
    }

    private static String missingMessage(Path dir, String subfolder, List<String> missing, String dataSet,
            String archive) {
        String files = String.join(", ", missing);
        String how = "this needs the binary version of " + dataSet + " (" + archive
                + ", not the python or matlab one): place the files in " + dir + " or in its " + subfolder
                + " sub-folder";
        if (!Files.isDirectory(dir)) {
            return dataSet + " data folder " + dir + " does not exist (expected files: " + files + "); " + how;
        }
        return dataSet + " data folder " + dir + " (and " + dir.resolve(subfolder) + ") is missing " + files
                + "; " + how;
    }

    /**
     * The names in a label-names text file (one per line, blank lines ignored), if the file sits in
     * {@code dir} or its sub-folder; otherwise {@code fallback}.
     */
    static List<String> names(Path dir, String subfolder, String fileName, List<String> fallback)
            throws DataFormatException, IOException {
        Path file = resolve(dir, subfolder, fileName);
        if (file == null) {
            return fallback;
        }
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                names.add(line.strip());
            }
        }
        if (names.size() != fallback.size()) {
            throw new DataFormatException(file, "has " + names.size() + " class names, expected "
                    + fallback.size() + " (one per line)");
        }
        return List.copyOf(names);
    }
}
