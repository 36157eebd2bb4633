package dev.anytimenn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anytimenn.data.FashionMnist;
import dev.anytimenn.engine.EngineLogging;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libtorch's warnings come from native code, once per process and with a level read when the engine
 * loads, so each case runs the command line in a fresh JVM: resuming loads the optimiser state through
 * NDArray.set, where DJL's native library warns that AutoNonVariableTypeMode is deprecated.
 */
class EngineWarningsTest {

    private static final String WARNING = "AutoNonVariableTypeMode";

    @TempDir
    static Path temp;
    static Path run;
    static Path data;

    @BeforeAll
    static void trainTinyRun() throws Exception {
        data = temp.resolve("data");
        run = temp.resolve("run");
        TinyRun.train(data, run, 300, 100, 100);
    }

    /** Runs the command line in a new JVM without the user's log level; returns its standard error. */
    private static String stderrOf(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove(EngineLogging.LEVEL_VARIABLE);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        return err;
    }

    @Test
    void resumingIsQuietUnlessVerbose() throws Exception {
        // nothing but the engine guard's own lines, which a machine with a faulty engine shows on purpose
        String quiet = stderrOf("train", "--resume", run.toString());
        assertThat(quiet.lines().filter(line -> !line.contains("dev.anytimenn.engine.EngineGuard")))
                .as(quiet).isEmpty();
        // the same command with --verbose shows the warning, so the quiet run above had one to hide
        assertThat(stderrOf("train", "--resume", run.toString(), "--verbose")).contains(WARNING);
    }

    /** ONNX Runtime's own logger writes to standard error too; below errors it is kept quiet. */
    @Test
    void predictingWithOnnxRuntimeIsQuiet() throws Exception {
        String err = stderrOf("predict", run.toString(), "--idx", data.resolve(FashionMnist.TEST_IMAGES + ".gz")
                .toString(), "--index", "0", "1", "--engine", "onnxruntime", "--deadline-ms", "5");
        assertThat(err.lines().filter(line -> !line.contains("dev.anytimenn.engine.EngineGuard"))).as(err).isEmpty();
    }
}
