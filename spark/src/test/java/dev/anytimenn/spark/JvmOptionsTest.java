package dev.anytimenn.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Java 17 flags Spark needs are written three times: conf/java17-options (the launcher and the README's
 * spark-submit line read it), the pom's spark.java17.options (the tests' JVM) and the README. They must agree.
 */
class JvmOptionsTest {

    static final Path OPTIONS = Path.of("conf/java17-options");

    static boolean sparkFlag(String arg) {
        return arg.startsWith("--add-opens") || arg.equals("-XX:+IgnoreUnrecognizedVMOptions")
                || arg.startsWith("-Dio.netty.");
    }

    @Test
    void theTestsRunWithExactlyTheLaunchersFlags() throws Exception {
        List<String> file = Files.readAllLines(OPTIONS).stream().filter(l -> !l.isBlank()).toList();
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(JvmOptionsTest::sparkFlag).toList();
        assertThat(file).hasSize(17).allMatch(JvmOptionsTest::sparkFlag);
        assertThat(jvm).containsExactlyInAnyOrderElementsOf(file);
    }

    @Test
    void theLauncherAndTheReadmeUseTheFile() throws Exception {
        assertThat(Files.readString(Path.of("../anytime"))).contains("spark/conf/java17-options");
        assertThat(Files.readString(Path.of("../README.md"))).contains("spark/conf/java17-options");
    }
}
