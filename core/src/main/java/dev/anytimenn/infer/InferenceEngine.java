package dev.anytimenn.infer;

import dev.anytimenn.ort.OrtSettings;
import java.util.Locale;

/**
 * Which engine runs a trained network for inference: DJL (the engine it was trained with, eager, one
 * call per layer) or ONNX Runtime (its exported segment graphs, optimised ahead). Every stopping rule
 * works with both; {@link AnytimeModel#predictor(InferenceEngine)} picks one in one call.
 */
public sealed interface InferenceEngine permits InferenceEngine.Djl, InferenceEngine.OnnxRuntime {

    /** DJL with the PyTorch engine, as trained; its threads are the engine's (--threads). */
    InferenceEngine DJL = new Djl();
    /** ONNX Runtime on 1 thread with every graph optimisation. */
    InferenceEngine ONNXRUNTIME = new OnnxRuntime(OrtSettings.DEFAULT);

    /** The name the command line takes: {@code djl} or {@code onnxruntime}. */
    String cliName();

    record Djl() implements InferenceEngine {
        @Override
        public String cliName() {
            return "djl";
        }
    }

    /** ONNX Runtime (CPU) with these settings. */
    record OnnxRuntime(OrtSettings settings) implements InferenceEngine {
        public OnnxRuntime {
            if (settings == null) {
                throw new IllegalArgumentException("ONNX Runtime settings are missing");
            }
        }

        @Override
        public String cliName() {
            return "onnxruntime";
        }
    }

    /**
     * The engine {@code name} names; {@code threads} and {@code optimization} (none, basic, extended, all)
     * set ONNX Runtime's sessions and are not used by DJL, whose threads are set when it loads.
     */
    static InferenceEngine parse(String name, int threads, String optimization) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "djl" -> DJL;
            case "onnxruntime" -> new OnnxRuntime(
                    new OrtSettings(threads, OrtSettings.Optimization.parse(optimization)));
            default -> throw new IllegalArgumentException("unknown engine '" + name + "'; choose djl or onnxruntime");
        };
    }
}
