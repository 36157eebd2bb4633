package dev.anytimenn.cli;

import dev.anytimenn.infer.InferenceEngine;
import picocli.CommandLine.Option;

/** The inference engine of the commands that run a trained network (predict, eval --protocol). */
final class EngineOptions {

    @Option(names = "--engine", paramLabel = "NAME", description = "djl (the training engine, eager) or onnxruntime "
            + "(the exported graphs, CPU; --threads sets its threads) (default: ${DEFAULT-VALUE}).")
    String engine = "djl";

    @Option(names = "--ort-optimization", paramLabel = "LEVEL", description = "ONNX Runtime's graph optimisation: "
            + "none, basic, extended or all (default: ${DEFAULT-VALUE}).")
    String optimization = "all";

    /** The engine asked for; ONNX Runtime runs on {@code threads} intra-op threads. */
    InferenceEngine engine(int threads) {
        return InferenceEngine.parse(engine, threads, optimization);
    }
}
