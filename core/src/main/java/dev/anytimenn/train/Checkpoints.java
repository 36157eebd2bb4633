package dev.anytimenn.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.anytimenn.io.AtomicFiles;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.store.CheckpointFile;
import dev.anytimenn.store.ModelStore;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One checkpoint is one {@link CheckpointFile}: the training state as JSON, the network's
 * parameters (batch-norm running statistics included) and the optimiser's momentum buffers. It is
 * written to a temporary file and renamed, so a crash leaves the previous checkpoint whole.
 */
public final class Checkpoints {

    private Checkpoints() {}

    public static void save(Path file, AnytimeNetwork net, SgdOptimizer optimizer, CheckpointState state)
            throws IOException {
        byte[] json = Jsons.MAPPER.writeValueAsBytes(state);
        ByteArrayOutputStream params = new ByteArrayOutputStream();
        net.saveParameters(new DataOutputStream(params));
        byte[] optimizerState = optimizer == null ? new byte[0] : optimizer.state().encode();
        CheckpointFile.Blocks blocks = new CheckpointFile.Blocks(json, params.toByteArray(), optimizerState);
        AtomicFiles.write(file, out -> CheckpointFile.write(out, blocks));
    }

    /** What a checkpoint file holds, read but not yet applied. */
    public record Contents(CheckpointState state, CheckpointFile.Blocks blocks) {}

    public static Contents read(Path file) throws IOException {
        CheckpointFile.Blocks blocks = CheckpointFile.read(file);
        try {
            return new Contents(Jsons.MAPPER.readValue(blocks.stateJson(), CheckpointState.class), blocks);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": checkpoint state is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    /** Builds the network a config describes and fills it with the checkpoint's parameters, ready to train. */
    public static AnytimeNetwork loadNetwork(Path file, Contents contents, ModelConfig config, NDManager manager)
            throws IOException {
        AnytimeNetwork net = ModelStore.loadCheckpointParameters(file, contents.blocks(), config, manager);
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
            optimizer.loadState(NDList.decode(scratch, contents.blocks().optimizerState()));
        } catch (RuntimeException e) {
            throw new IOException(file + ": optimizer state does not fit the model (" + e.getMessage() + ")", e);
        }
    }
}
