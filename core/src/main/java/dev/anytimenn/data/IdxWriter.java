package dev.anytimenn.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Writes unsigned-byte IDX files, e.g. to make subsets of a data set or fixtures for tests. */
public final class IdxWriter {

    private IdxWriter() {}

    /**
     * @param dims 1 to 4 positive sizes whose product equals {@code data.length}
     * @param gzip whether to gzip-compress (the reader detects either form by content)
     */
    public static void write(Path file, int[] dims, byte[] data, boolean gzip) throws IOException {
        validate(dims, data);
        try (OutputStream fileOut = Files.newOutputStream(file);
                OutputStream maybeGz = gzip ? new GZIPOutputStream(fileOut, 1 << 16) : fileOut;
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(maybeGz, 1 << 16))) {
            out.writeInt(IdxReader.TYPE_UNSIGNED_BYTE << 8 | dims.length);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }

    private static void validate(int[] dims, byte[] data) {
        if (dims.length < 1 || dims.length > IdxReader.MAX_DIMS) {
            throw new IllegalArgumentException("IDX needs 1 to " + IdxReader.MAX_DIMS + " dimensions, got "
                    + dims.length);
        }
        long product = 1;
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("dimensions must be positive: " + Arrays.toString(dims));
            }
            product *= d;
            if (product > data.length) {
                break; // already a mismatch; stopping early also keeps the long from overflowing
            }
        }
        if (product != data.length) {
            throw new IllegalArgumentException("dimensions " + Arrays.toString(dims) + " do not match the "
                    + data.length + " bytes of data");
        }
    }
}
