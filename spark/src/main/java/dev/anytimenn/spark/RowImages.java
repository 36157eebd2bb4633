package dev.anytimenn.spark;

import dev.anytimenn.data.DataFormatException;
import dev.anytimenn.data.ImageFiles;
import dev.anytimenn.model.InputShape;
import java.io.Serializable;
import java.nio.file.Path;
import org.apache.spark.sql.Row;

/**
 * Turns one input row ({@link InputImages#SCHEMA}: id, image, label) into the model's input pixels and
 * label, on an executor or, for a validation set, on the driver. A row that cannot be read is an
 * {@link UnreadableRowException} saying why; it never stops the others.
 */
final class RowImages implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How a data set's image bytes are to be read, decided once per input on the driver. */
    enum Encoding {
        /** uint8 pixels, C x H x W, exactly the model's input size (IDX files, tables of raw pixels) */
        RAW,
        /** PNG or JPEG files, resized to the model's input as {@code predict --input} does */
        ENCODED
    }

    private final Encoding encoding;
    private final int channels;
    private final int height;
    private final int width;
    private final int classes;
    private final boolean invert;

    RowImages(Encoding encoding, InputShape shape, int classes, boolean invert) {
        this.encoding = encoding;
        this.channels = shape.channels();
        this.height = shape.height();
        this.width = shape.width();
        this.classes = classes;
        this.invert = invert;
    }

    /** Thrown for a row that cannot be used; the message is the problem, without the row's id. */
    static final class UnreadableRowException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableRowException(String problem) {
            super(problem);
        }
    }

    static String id(Row row) {
        return row.getString(0);
    }

    byte[] pixels(Row row) throws UnreadableRowException {
        if (row.isNullAt(1)) {
            throw new UnreadableRowException("no image");
        }
        byte[] image = (byte[]) row.get(1);
        if (encoding == Encoding.ENCODED) {
            try {
                return ImageFiles.decode(image, Path.of(id(row)), channels, height, width, invert);
            } catch (DataFormatException e) {
                throw new UnreadableRowException(e.problem());
            }
        }
        int size = channels * height * width;
        if (image.length != size) {
            throw new UnreadableRowException("image of " + image.length + " bytes; the model takes " + channels + "x"
                    + height + "x" + width + " = " + size);
        }
        return image;
    }

    /** The row's label, or null when it has none. */
    Integer label(Row row) throws UnreadableRowException {
        if (row.isNullAt(2)) {
            return null;
        }
        int label = row.getInt(2);
        if (label < 0 || label >= classes) {
            throw new UnreadableRowException("label " + label + " is outside [0, " + classes + ")");
        }
        return label;
    }
}
