package dev.anytimenn.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/** Small seeded networks for tests. */
public final class ModelTestSupport {

    private ModelTestSupport() {}

    public static ModelConfig resann(int n, int c, int s) {
        return new ModelConfig("resann", n, c, s, 10, new InputShape(1, 28, 28));
    }

    public static AnytimeNetwork seeded(ModelConfig config, NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        return Architectures.buildInitialized(config, manager);
    }
}
