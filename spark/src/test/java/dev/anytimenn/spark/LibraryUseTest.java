package dev.anytimenn.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The job is built on the core's library: it imports none of the CLI's code or the trainer's. */
class LibraryUseTest {

    @Test
    void theJobImportsTheLibraryNotTheCli() throws Exception {
        List<String> offending;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            offending = files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                try {
                    String text = Files.readString(f);
                    return text.contains("import dev.anytimenn.cli.") || text.contains("import dev.anytimenn.train.");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(Path::toString).toList();
        }
        assertThat(offending).isEmpty();
        assertThat(Files.readString(Path.of("src/main/java/dev/anytimenn/spark/PartitionPredictor.java")))
                .contains("import dev.anytimenn.infer.AnytimePredictor;");
    }
}
