package dev.anytimenn.cli;

import ai.djl.Device;
import dev.anytimenn.engine.EngineLogging;
import picocli.CommandLine.Option;

/** Options every command shares; {@link #apply()} must run before the engine loads. */
final class CommonOptions {

    @Option(names = "--threads", paramLabel = "N",
            description = "Engine intra-op threads (default: all ${sys:anytime.cores} cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--device", paramLabel = "NAME",
            description = "Device to run on: cpu, gpu or gpu(N) (default: ${DEFAULT-VALUE}).")
    String device = "cpu";

    /** How training progress is shown. */
    enum Progress { auto, bar, lines }

    @Option(names = "--progress", paramLabel = "MODE", description = "Training progress: bar, lines (plain lines, "
            + "for logs) or auto: a bar on a terminal, else lines (default: ${DEFAULT-VALUE}).")
    Progress progress = Progress.auto;

    @Option(names = {"-v", "--verbose"},
            description = "Show engine logging, libtorch's own warnings and stack traces of errors.")
    boolean verbose;

    static {
        System.setProperty("anytime.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    /** Sets what the engine and logger read once, when they load. */
    void apply() {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "error");
        // what the engine guard does to work around a faulty engine is always said (README, 'Engine self-check')
        if (System.getProperty("org.slf4j.simpleLogger.log.dev.anytimenn.engine") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.dev.anytimenn.engine", "info");
        }
        if (!verbose) {
            EngineLogging.quietNativeWarnings();
        }
        System.setProperty("java.awt.headless", "true");
    }

    /** The progress listener --progress asks for, printing to standard output. */
    ConsoleProgress progress() {
        boolean bar = progress == Progress.bar || progress == Progress.auto && System.console() != null;
        return new ConsoleProgress(System.out, bar, System::nanoTime);
    }

    Device device() {
        try {
            return Device.fromName(device);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--device: unknown device '" + device + "' (use cpu, gpu or gpu(N))");
        }
    }
}
