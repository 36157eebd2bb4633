package dev.anytimenn.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The architectures by name, each a builder from a {@link ModelConfig}. */
public final class Architectures {

    private static final Map<String, ArchitectureBuilder> BUILDERS = new LinkedHashMap<>();

    static {
        register("resann", ResAnn::build);
        register("densann", DenseAnn::build);
        register("msdnet", MsdNetAnn::build);
    }

    private Architectures() {}

    public static synchronized void register(String name, ArchitectureBuilder builder) {
        BUILDERS.put(name.toLowerCase(Locale.ROOT), builder);
    }

    public static synchronized List<String> names() {
        return List.copyOf(BUILDERS.keySet());
    }

    /** Builds the network {@code config.arch()} names, uninitialised. */
    public static AnytimeNetwork build(ModelConfig config) {
        ArchitectureBuilder builder;
        synchronized (Architectures.class) {
            builder = BUILDERS.get(config.arch().toLowerCase(Locale.ROOT));
        }
        if (builder == null) {
            throw new IllegalArgumentException("unknown architecture '" + config.arch()
                    + "'; choose one of: " + String.join(", ", names()));
        }
        return builder.build(config);
    }

    /** Builds the network and initialises its parameters; the engine's random seed decides the values. */
    public static AnytimeNetwork buildInitialized(ModelConfig config, NDManager manager) {
        AnytimeNetwork net = build(config);
        net.initialize(manager, DataType.FLOAT32, config.input().batchShape(1));
        return net;
    }

    static Map<String, ArchitectureBuilder> view() {
        return Collections.unmodifiableMap(BUILDERS);
    }
}
