package dev.anytimenn.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.anytimenn.io.OptionRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The registry of architectures by name, and the assembly every architecture shares. */
public final class Architectures {

    private static final Map<String, Architecture<?>> REGISTRY = new LinkedHashMap<>();

    static {
        register(new Architecture<>("resann", "pre-activation ResNet with a head after units",
                ResAnn.Options.DEFAULTS, ResAnn::parts));
        register(new Architecture<>("densann", "DenseNet-BC with a head after dense layers",
                DenseAnn.Options.DEFAULTS, DenseAnn::parts));
        register(new Architecture<>("msdnet", "multi-scale dense network (MSDNet) with a head after layers",
                MsdNetAnn.Options.DEFAULTS, MsdNetAnn::parts));
    }

    private Architectures() {}

    public static synchronized void register(Architecture<?> architecture) {
        REGISTRY.put(architecture.name().toLowerCase(Locale.ROOT), architecture);
    }

    public static synchronized List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /** Every registered architecture, in registration order. */
    public static synchronized List<Architecture<?>> all() {
        return List.copyOf(REGISTRY.values());
    }

    /** The architecture {@code name} names (case-insensitive). */
    public static Architecture<?> get(String name) {
        Architecture<?> architecture;
        synchronized (Architectures.class) {
            architecture = REGISTRY.get(name.toLowerCase(Locale.ROOT));
        }
        if (architecture == null) {
            throw new IllegalArgumentException("unknown architecture '" + name + "'; choose one of: "
                    + String.join(", ", names()));
        }
        return architecture;
    }

    /**
     * Help text for every architecture and its options, one architecture per paragraph, e.g.
     * {@code "resann: pre-activation ResNet ...; options: n=INT: ... (default 2), c=INT: ..."}.
     */
    public static List<String> help() {
        List<String> lines = new ArrayList<>();
        for (Architecture<?> a : all()) {
            lines.add(a.name() + ": " + a.help() + "; options: " + String.join("; ",
                    a.describeOptions().stream().map(OptionRecords.Described::line).toList()));
        }
        return lines;
    }

    /**
     * Builds the network {@code config.arch()} names, uninitialised: its parts, the chain cut to
     * {@code config.units()}, a head after every s-th unit from the last.
     */
    public static AnytimeNetwork build(ModelConfig config) {
        Architecture.Parts parts = get(config.arch()).partsOf(config.options(), config.classes());
        List<Block> units = config.truncate(parts.units());
        int[] after = HeadPlacement.unitsWithHeads(units.size(), config.s());
        List<Block> heads = new ArrayList<>();
        for (int k = 0; k < after.length; k++) {
            heads.add(parts.head().get());
        }
        return new AnytimeNetwork(config, parts.stem(), units, heads, after);
    }

    /** Builds the network and initialises its parameters; the engine's random seed decides the values. */
    public static AnytimeNetwork buildInitialized(ModelConfig config, NDManager manager) {
        AnytimeNetwork net = build(config);
        net.initialize(manager, DataType.FLOAT32, config.input().batchShape(1));
        return net;
    }
}
