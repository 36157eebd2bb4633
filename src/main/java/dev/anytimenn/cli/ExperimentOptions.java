package dev.anytimenn.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of commands that run a planned set of runs into one folder: study, eann train. */
final class ExperimentOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Config JSON (default: the built-in one).")
    Path config;

    @Option(names = "--quick", description = "A tiny version (c = 4, 1 epoch on a few thousand images) that runs in "
            + "minutes, to try the pipeline.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: results/<name>, or "
            + "runs/<name> with --quick).")
    Path out;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder with the data set's files "
            + "(default: the config's, else /usr/share/datasets/fashion-mnist).")
    Path data;

    /** Fails when --config and --quick are both given. */
    void check() {
        if (config != null && quick) {
            throw new IllegalArgumentException("--config and --quick exclude each other");
        }
    }

    /** --out, else results/NAME (runs/NAME with --quick). */
    Path outOr(String name) {
        return out != null ? out : Path.of(quick ? "runs" : "results", name);
    }
}
