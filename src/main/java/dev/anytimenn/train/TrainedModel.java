package dev.anytimenn.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.anytimenn.model.AnytimeNetwork;
import java.io.IOException;

/** A run's trained network, opened from its folder, with what is needed to feed it. */
public final class TrainedModel implements AutoCloseable {

    private final RunConfig config;
    private final CheckpointState state;
    private final AnytimeNetwork network;
    private final NDManager manager;

    private TrainedModel(RunConfig config, CheckpointState state, AnytimeNetwork network, NDManager manager) {
        this.config = config;
        this.state = state;
        this.network = network;
        this.manager = manager;
    }

    /** Reads the run's config and checkpoint and builds its network on {@code device}. */
    public static TrainedModel open(RunFolder folder, Device device) throws IOException {
        RunConfig config = folder.readConfig();
        Checkpoints.Contents contents = Checkpoints.read(folder.checkpoint());
        NDManager manager = NDManager.newBaseManager(device);
        try {
            AnytimeNetwork net = Checkpoints.loadNetwork(folder.checkpoint(), contents, config.model(), manager);
            return new TrainedModel(config, contents.state(), net, manager);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public RunConfig config() {
        return config;
    }

    /** Training history, normalisation and the rest of the checkpoint's state. */
    public CheckpointState state() {
        return state;
    }

    public AnytimeNetwork network() {
        return network;
    }

    /** The manager holding the parameters; per-batch work belongs in sub-managers of it. */
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
