package dev.anytimenn.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.anytimenn.io.AtomicFiles;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.ModelConfig;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One checkpoint is one file: a header, the training state as JSON, the network's parameters
 * (batch-norm running statistics included) and the optimiser's momentum buffers. It is written to a
 * temporary file and renamed, so a crash leaves the previous checkpoint whole.
 */
public final class Checkpoints {

    private static final byte[] MAGIC = "ANYTIME-NN-CKPT".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private Checkpoints() {}

    public static void save(Path file, AnytimeNetwork net, SgdOptimizer optimizer, CheckpointState state)
            throws IOException {
        byte[] json = Jsons.MAPPER.writeValueAsBytes(state);
        ByteArrayOutputStream params = new ByteArrayOutputStream();
        net.saveParameters(new DataOutputStream(params));
        byte[] optimizerState = optimizer == null ? new byte[0] : optimizer.state().encode();
        AtomicFiles.write(file, out -> {
            DataOutputStream data = new DataOutputStream(out);
            data.write(MAGIC);
            data.writeInt(VERSION);
            writeBlock(data, json);
            writeBlock(data, params.toByteArray());
            writeBlock(data, optimizerState);
            data.flush();
        });
    }

    private static void writeBlock(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** What a checkpoint file holds, read but not yet applied. */
    public record Contents(CheckpointState state, byte[] parameters, byte[] optimizerState) {}

    public static Contents read(Path file) throws IOException {
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
            CheckpointState state = Jsons.MAPPER.readValue(readBlock(data), CheckpointState.class);
            return new Contents(state, readBlock(data), readBlock(data));
        } catch (EOFException e) {
            throw new IOException(file + ": checkpoint is truncated", e);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": checkpoint state is unreadable: " + e.getOriginalMessage(), e);
        }
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

    /** Builds the network a config describes and fills it with the checkpoint's parameters. */
    public static AnytimeNetwork loadNetwork(Path file, Contents contents, ModelConfig config, NDManager manager)
            throws IOException {
        AnytimeNetwork net = Architectures.build(config);
        try {
            net.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(contents.parameters())));
        } catch (MalformedModelException | RuntimeException e) {
            throw new IOException(file + ": parameters do not fit the " + config.arch() + " model of its config ("
                    + e.getMessage() + ")", e);
        }
        for (Parameter p : net.getParameters().values()) {
            if (p.requiresGradient()) {
                p.getArray().setRequiresGradient(true);
            }
        }
        return net;
    }

    /** Restores the optimiser's momentum buffers from the checkpoint. */
    public static void loadOptimizer(Path file, Contents contents, SgdOptimizer optimizer, NDManager manager)
            throws IOException {
        try (NDManager scratch = manager.newSubManager()) {
            optimizer.loadState(NDList.decode(scratch, contents.optimizerState()));
        } catch (RuntimeException e) {
            throw new IOException(file + ": optimizer state does not fit the model (" + e.getMessage() + ")", e);
        }
    }
}
