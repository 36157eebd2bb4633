package dev.anytimenn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

    @TempDir
    Path tmp;

    private static byte[] data(int n) {
        byte[] d = new byte[n];
        for (int i = 0; i < n; i++) {
            d[i] = (byte) (i * 37 + 200); // covers values above 127, i.e. negative bytes
        }
        return d;
    }

    /** Raw IDX bytes with an arbitrary magic and dims, for crafting bad files. */
    private static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        }
        return bos.toByteArray();
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(tmp.resolve(name), content);
    }

    private static void assertOneLineNaming(DataFormatException e, Path file) {
        assertThat(e.getMessage()).startsWith(file + ": ").doesNotContain("\n");
        assertThat(e.file()).isEqualTo(file);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void roundTripsThroughWriter(boolean gzip) throws Exception {
        Path f = tmp.resolve("a.idx");
        byte[] d = data(2 * 3 * 4);
        IdxWriter.write(f, new int[] {2, 3, 4}, d, gzip);

        assertThat(Files.readAllBytes(f)[0] == 0x1f).isEqualTo(gzip);
        IdxArray a = IdxReader.read(f);
        assertThat(a.dims()).containsExactly(2, 3, 4);
        assertThat(a.data()).isEqualTo(d);
        assertThat(a.count()).isEqualTo(2);
    }

    @Test
    void rawFileStartsWithIdxMagic() throws Exception {
        Path f = tmp.resolve("l");
        IdxWriter.write(f, new int[] {3}, data(3), false);
        assertThat(Arrays.copyOf(Files.readAllBytes(f), 8)).containsExactly(0, 0, 8, 1, 0, 0, 0, 3);
    }

    @Test
    void detectsGzipByContentNotName() throws Exception {
        byte[] raw = idx(0x0803, new int[] {2, 2, 2}, data(8));
        Path gzNamedPlain = file("plain-name", gzip(raw));
        Path plainNamedGz = file("looks.gz", raw);
        assertThat(IdxReader.read(gzNamedPlain).data()).isEqualTo(data(8));
        assertThat(IdxReader.read(plainNamedGz).data()).isEqualTo(data(8));
    }

    @Test
    void readsOneAndFourDimensions() throws Exception {
        assertThat(IdxReader.read(file("1d", idx(0x0801, new int[] {5}, data(5)))).dims()).containsExactly(5);
        assertThat(IdxReader.read(file("4d", idx(0x0804, new int[] {1, 2, 3, 2}, data(12)))).dims())
                .containsExactly(1, 2, 3, 2);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncatedData(boolean gzip) throws Exception {
        byte[] raw = idx(0x0803, new int[] {2, 3, 4}, data(24));
        byte[] cut = Arrays.copyOf(raw, raw.length - 5);
        Path f = file("trunc", gzip ? gzip(cut) : cut);
        assertThatThrownBy(() -> IdxReader.read(f))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(f + ": truncated: expected 24 bytes of data, found 19")
                .satisfies(e -> assertOneLineNaming((DataFormatException) e, f));
    }

    @Test
    void headerClaimingHugeDataInTinyFileFailsWithoutHugeAllocation() throws Exception {
        Path f = file("liar", idx(0x0802, new int[] {1_000_000, 1_000}, data(3)));
        assertThatThrownBy(() -> IdxReader.read(f))
                .hasMessage(f + ": truncated: expected 1000000000 bytes of data, found 3");
    }

    @Test
    void truncatedGzipStream() throws Exception {
        byte[] gz = gzip(idx(0x0803, new int[] {10, 20, 20}, data(4000)));
        Path f = file("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> IdxReader.read(f))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(f + ": corrupt gzip stream: ")
                .satisfies(e -> assertOneLineNaming((DataFormatException) e, f));
    }

    @Test
    void gzipWithBadChecksum() throws Exception {
        byte[] gz = gzip(idx(0x0801, new int[] {100}, data(100)));
        gz[gz.length - 6] ^= 0x55; // inside the CRC32 of the trailer
        Path f = file("crc.gz", gz);
        assertThatThrownBy(() -> IdxReader.read(f)).hasMessageStartingWith(f + ": corrupt gzip stream: ");
    }

    @Test
    void gzipMagicFollowedByGarbage() throws Exception {
        Path f = file("fake.gz", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        assertThatThrownBy(() -> IdxReader.read(f))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(f + ": corrupt gzip stream: ");
    }

    @Test
    void garbageIsNotAnIdxFile() throws Exception {
        Path f = file("readme.txt", "hello, this is not IDX\n".getBytes());
        assertThatThrownBy(() -> IdxReader.read(f))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(f + ": not an IDX file: magic number 0x68656C6C does not start with two zero bytes");
    }

    @Test
    void wrongMagic() throws Exception {
        Path f = file("wrong", idx(0x01000803, new int[] {1}, data(1)));
        assertThatThrownBy(() -> IdxReader.read(f)).hasMessageContaining("not an IDX file");
    }

    @Test
    void unsupportedDataType() throws Exception {
        Path f = file("floats", idx(0x0D01, new int[] {1}, new byte[4]));
        assertThatThrownBy(() -> IdxReader.read(f))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(f + ": unsupported IDX data type 0x0D (only unsigned byte 0x08)");
    }

    @Test
    void extraTrailingBytes() throws Exception {
        byte[] raw = idx(0x0801, new int[] {4}, data(7));
        for (boolean gz : new boolean[] {false, true}) {
            Path f = file("extra" + gz, gz ? gzip(raw) : raw);
            assertThatThrownBy(() -> IdxReader.read(f))
                    .isInstanceOf(DataFormatException.class)
                    .hasMessage(f + ": unexpected trailing data: expected 4 bytes of data for dimensions [4], found 7");
        }
    }

    @Test
    void zeroDimensions() throws Exception {
        Path noDims = file("rank0", idx(0x0800, new int[0], new byte[0]));
        assertThatThrownBy(() -> IdxReader.read(noDims))
                .hasMessage(noDims + ": unsupported number of dimensions 0 (expected 1 to 4)");
        Path five = file("rank5", idx(0x0805, new int[] {1, 1, 1, 1, 1}, new byte[1]));
        assertThatThrownBy(() -> IdxReader.read(five)).hasMessageContaining("unsupported number of dimensions 5");
    }

    @Test
    void zeroOrNegativeDimensionSize() throws Exception {
        Path zero = file("zero", idx(0x0803, new int[] {2, 0, 3}, new byte[0]));
        assertThatThrownBy(() -> IdxReader.read(zero))
                .hasMessage(zero + ": dimension 1 has size 0 (must be positive)");
        Path huge = file("neg", idx(0x0801, new int[] {-1}, new byte[0]));
        assertThatThrownBy(() -> IdxReader.read(huge))
                .hasMessage(huge + ": dimension 0 has size 4294967295 (must be positive)");
    }

    @Test
    void productOverflow() throws Exception {
        Path f = file("big", idx(0x0803, new int[] {65536, 65536, 65536}, new byte[0]));
        assertThatThrownBy(() -> IdxReader.read(f))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("dimensions [65536, 65536, 65536] describe more than")
                .hasMessageContaining("too large");
    }

    @Test
    void truncatedHeader() throws Exception {
        Path empty = file("empty", new byte[0]);
        assertThatThrownBy(() -> IdxReader.read(empty))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(empty + ": truncated header");
        Path dims = file("dims", Arrays.copyOf(idx(0x0803, new int[] {1, 2, 3}, new byte[6]), 10));
        assertThatThrownBy(() -> IdxReader.read(dims))
                .hasMessage(dims + ": truncated header: expected 3 dimension sizes (12 bytes), found 6 bytes");
    }

    @Test
    void missingFileIsAnIoException() {
        Path f = tmp.resolve("nope");
        assertThatThrownBy(() -> IdxReader.read(f)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void writerRejectsInconsistentShapes() {
        Path f = tmp.resolve("w");
        assertThatThrownBy(() -> IdxWriter.write(f, new int[] {2, 2}, new byte[3], false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 2]");
        assertThatThrownBy(() -> IdxWriter.write(f, new int[0], new byte[0], false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdxWriter.write(f, new int[] {0}, new byte[0], false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
