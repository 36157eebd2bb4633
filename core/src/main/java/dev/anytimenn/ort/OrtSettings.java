package dev.anytimenn.ort;

import ai.onnxruntime.OrtSession;
import java.util.Locale;

/**
 * How ONNX Runtime runs a network: its intra-op threads (1 for batch-1 latency, as DJL's predictor) and
 * how far it rewrites the graph before running it ({@code all}: constant folding, node fusions and layout
 * changes; {@code none}: the graph as written).
 */
public record OrtSettings(int intraOpThreads, Optimization optimization) {

    /** ONNX Runtime's graph optimisation levels. */
    public enum Optimization {
        NONE(OrtSession.SessionOptions.OptLevel.NO_OPT),
        BASIC(OrtSession.SessionOptions.OptLevel.BASIC_OPT),
        EXTENDED(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT),
        ALL(OrtSession.SessionOptions.OptLevel.ALL_OPT);

        final OrtSession.SessionOptions.OptLevel level;

        Optimization(OrtSession.SessionOptions.OptLevel level) {
            this.level = level;
        }

        /** {@code none}, {@code basic}, {@code extended} or {@code all}. */
        public static Optimization parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown graph optimisation level '" + name
                        + "'; choose one of: none, basic, extended, all");
            }
        }

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public OrtSettings {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("ONNX Runtime needs at least 1 thread, got " + intraOpThreads);
        }
        if (optimization == null) {
            throw new IllegalArgumentException("the graph optimisation level is missing");
        }
    }

    /** One thread, every optimisation: what batch-1 anytime inference wants. */
    public static final OrtSettings DEFAULT = new OrtSettings(1, Optimization.ALL);
}
