package dev.anytimenn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads unsigned-byte IDX files (the MNIST format), raw or gzip-compressed.
 *
 * <p>Every content problem becomes a {@link DataFormatException} naming the file; only genuine I/O
 * failures (missing file, unreadable disk) surface as {@link IOException}.
 */
public final class IdxReader {

    static final int TYPE_UNSIGNED_BYTE = 0x08;
    static final int MAX_DIMS = 4;
    // Largest array HotSpot reliably allocates; a bigger header is either corrupt or unusable anyway.
    static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;

    private static final int BUFFER = 1 << 16;
    private static final int INITIAL_CHUNK = 1 << 16;

    private IdxReader() {}

    public static IdxArray read(Path file) throws DataFormatException, IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            // The magic decides, not the name: users un-gzip files but keep ".gz", or the reverse.
            if (!isGzip(raw)) {
                return parse(file, raw);
            }
            try {
                return parse(file, new GZIPInputStream(raw, BUFFER));
            } catch (ZipException | EOFException e) {
                String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw new DataFormatException(file, "corrupt gzip stream: " + detail, e);
            }
        }
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    private static IdxArray parse(Path file, InputStream in) throws DataFormatException, IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new DataFormatException(file, "truncated header: an IDX file starts with a 4-byte magic number, found "
                    + magic.length + " bytes");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DataFormatException(file, String.format(
                    "not an IDX file: magic number 0x%08X does not start with two zero bytes", readInt(magic, 0)));
        }
        int type = magic[2] & 0xFF;
        if (type != TYPE_UNSIGNED_BYTE) {
            throw new DataFormatException(file, String.format(
                    "unsupported IDX data type 0x%02X (only unsigned byte 0x%02X)", type, TYPE_UNSIGNED_BYTE));
        }
        int rank = magic[3] & 0xFF;
        if (rank < 1 || rank > MAX_DIMS) {
            throw new DataFormatException(file,
                    "unsupported number of dimensions " + rank + " (expected 1 to " + MAX_DIMS + ")");
        }
        int[] dims = readDims(file, in, rank);
        int expected = dataLength(file, dims);
        byte[] data = readExactly(in, expected);
        if (data.length < expected) {
            throw new DataFormatException(file,
                    "truncated: expected " + expected + " bytes of data, found " + data.length);
        }
        long extra = in.transferTo(OutputStream.nullOutputStream());
        if (extra > 0) {
            throw new DataFormatException(file, "unexpected trailing data: expected " + expected
                    + " bytes of data for dimensions " + Arrays.toString(dims) + ", found " + (expected + extra));
        }
        return new IdxArray(dims, data);
    }

    private static int[] readDims(Path file, InputStream in, int rank) throws DataFormatException, IOException {
        byte[] bytes = in.readNBytes(4 * rank);
        if (bytes.length < 4 * rank) {
            throw new DataFormatException(file, "truncated header: expected " + rank + " dimension sizes ("
                    + 4 * rank + " bytes), found " + bytes.length + " bytes");
        }
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = readInt(bytes, 4 * i);
            if (dims[i] <= 0) {
                // Sizes >= 2^31 read as negative; they could never fit in an array either.
                throw new DataFormatException(file, "dimension " + i + " has size "
                        + Integer.toUnsignedString(dims[i]) + " (must be positive)");
            }
        }
        return dims;
    }

    private static int dataLength(Path file, int[] dims) throws DataFormatException {
        long product = 1;
        for (int d : dims) {
            product *= d; // at most 4 factors < 2^31 each, checked after every step, so no long overflow
            if (product > MAX_DATA_BYTES) {
                throw new DataFormatException(file, "dimensions " + Arrays.toString(dims)
                        + " describe more than " + MAX_DATA_BYTES + " bytes, too large to load");
            }
        }
        return (int) product;
    }

    // Grows the buffer as data arrives, so a corrupt header claiming 2 GB cannot trigger a 2 GB allocation
    // for a file that holds a few bytes.
    private static byte[] readExactly(InputStream in, int expected) throws IOException {
        byte[] buf = new byte[Math.min(expected, INITIAL_CHUNK)];
        int n = 0;
        while (n < expected) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(expected, 2L * buf.length));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
