package dev.anytimenn.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BiFunction;
import java.util.function.Function;
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

    /** Reads a config file; errors name the file. */
    @FunctionalInterface
    interface Loader<T> {
        T load(Path file) throws IOException;
    }

    /**
     * The config of --config (its data folder replaced by --data, if given), else the quick or the
     * default one for the --data folder.
     */
    <T> T choose(Loader<T> load, Function<Path, T> quickConfig, Function<Path, T> defaults,
            BiFunction<T, String, T> withDataDir) throws IOException {
        if (config != null && quick) {
            throw new IllegalArgumentException("--config and --quick exclude each other");
        }
        if (config == null) {
            return (quick ? quickConfig : defaults).apply(data);
        }
        T loaded = load.load(config);
        return data == null ? loaded : withDataDir.apply(loaded, data.toString());
    }

    /** --out, else results/NAME (runs/NAME with --quick). */
    Path outOr(String name) {
        return out != null ? out : Path.of(quick ? "runs" : "results", name);
    }
}
