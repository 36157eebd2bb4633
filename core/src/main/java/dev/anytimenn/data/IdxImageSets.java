package dev.anytimenn.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** Turns a pair of IDX files (images N x H x W, labels N) into an {@link ImageSet}, and back. */
public final class IdxImageSets {

    private IdxImageSets() {}

    public static ImageSet load(Path images, Path labels, int classes) throws DataFormatException, IOException {
        if (classes <= 0) {
            throw new IllegalArgumentException("classes must be positive, got " + classes);
        }
        IdxArray img = IdxReader.read(images);
        if (img.dims().length != 3) {
            throw new DataFormatException(images, "expected an image file with 3 dimensions (N x height x width), found "
                    + img.dims().length + " dimension(s) " + Arrays.toString(img.dims()));
        }
        IdxArray lab = IdxReader.read(labels);
        if (lab.dims().length != 1) {
            throw new DataFormatException(labels, "expected a label file with 1 dimension (N), found "
                    + lab.dims().length + " dimension(s) " + Arrays.toString(lab.dims()));
        }
        if (img.count() != lab.count()) {
            throw new DataFormatException(labels, "images file " + images + " has " + img.count()
                    + " images but labels file " + labels + " has " + lab.count() + " labels");
        }
        int[] l = new int[lab.count()];
        byte[] raw = lab.data();
        for (int i = 0; i < l.length; i++) {
            l[i] = raw[i] & 0xFF;
            if (l[i] >= classes) {
                throw new DataFormatException(labels,
                        "label " + l[i] + " at index " + i + " is outside [0, " + classes + ")");
            }
        }
        return new ImageSet(img.data(), l, 1, img.dims()[1], img.dims()[2], classes);
    }

    /** Writes a single-channel set as an image file and a label file, e.g. a subset for quick experiments. */
    public static void save(ImageSet set, Path images, Path labels, boolean gzip) throws IOException {
        if (set.channels() != 1) {
            throw new IllegalArgumentException("only single-channel sets fit the N x H x W image format, got "
                    + set.channels() + " channels");
        }
        if (set.classes() > 256) {
            throw new IllegalArgumentException("labels must fit an unsigned byte, got " + set.classes() + " classes");
        }
        if (set.size() == 0) {
            throw new IllegalArgumentException("IDX cannot store an empty set (dimensions must be positive)");
        }
        byte[] l = new byte[set.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = (byte) set.labels()[i];
        }
        IdxWriter.write(images, new int[] {set.size(), set.height(), set.width()}, set.pixels(), gzip);
        IdxWriter.write(labels, new int[] {set.size()}, l, gzip);
    }
}
