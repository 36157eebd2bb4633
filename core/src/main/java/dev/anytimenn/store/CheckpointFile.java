package dev.anytimenn.store;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The container of a training checkpoint: a magic string, a version, then three length-prefixed
 * blocks: the training state as JSON, the network's parameters in DJL's format (batch-norm running
 * statistics included) and the optimiser's state. What the blocks mean is the trainer's business;
 * {@link ModelStore} only takes the parameters and the normalisation out of it.
 */
public final class CheckpointFile {

    private static final byte[] MAGIC = "ANYTIME-NN-CKPT".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private CheckpointFile() {}

    /** The three blocks as read. */
    public record Blocks(byte[] stateJson, byte[] parameters, byte[] optimizerState) {}

    /** Writes the container to {@code out} (the caller makes the write atomic). */
    public static void write(OutputStream out, Blocks blocks) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.write(MAGIC);
        data.writeInt(VERSION);
        writeBlock(data, blocks.stateJson());
        writeBlock(data, blocks.parameters());
        writeBlock(data, blocks.optimizerState());
        data.flush();
    }

    /** Whether {@code file} starts as a checkpoint does (it may still be truncated). */
    public static boolean looksLikeCheckpoint(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        }
    }

    /** Reads and checks the whole container; every failure names the file. */
    public static Blocks read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no checkpoint file there");
        }
        try (InputStream in = Files.newInputStream(file);
                DataInputStream data = new DataInputStream(new BufferedInputStream(in))) {
            byte[] magic = data.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + ": not an anytime-nn checkpoint");
            }
            int version = data.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": checkpoint version " + version + " is not supported (expected "
                        + VERSION + ")");
            }
            return new Blocks(readBlock(data), readBlock(data), readBlock(data));
        } catch (EOFException e) {
            throw new IOException(file + ": checkpoint is truncated", e);
        }
    }

    private static void writeBlock(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBlock(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new EOFException();
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException();
        }
        return bytes;
    }
}
