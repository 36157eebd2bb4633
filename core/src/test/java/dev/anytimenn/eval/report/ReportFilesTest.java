package dev.anytimenn.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anytimenn.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    @Test
    void writeAllCreatesFourCompleteFilesAndNoTempFiles() throws IOException {
        Path run = dir.resolve("runs").resolve("r1"); // created by writeAll
        RunReport r = Samples.report();
        ReportFiles.writeAll(r, run);
        ReportFiles.writeAll(r, run); // overwriting an existing report works too

        try (Stream<Path> files = Files.list(run)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("report.json", "report.md", "anytime.png", "anytime.svg");
        }
        for (String f : List.of("report.json", "report.md", "anytime.png", "anytime.svg")) {
            assertThat(Files.size(run.resolve(f))).as(f).isPositive();
        }
        byte[] png = Files.readAllBytes(run.resolve("anytime.png"));
        assertThat(Arrays.copyOf(png, 8)).isEqualTo(PNG_SIGNATURE);
        assertThat(Files.readString(run.resolve("anytime.svg"))).contains("<svg");
        assertThat(ReportFiles.readJson(run.resolve("report.json"))).isEqualTo(r);
    }

    @Test
    void markdownHasTitleTablesConfigAndPlot() throws IOException {
        ReportFiles.writeAll(Samples.report(), dir);
        String md = Files.readString(dir.resolve("report.md"), StandardCharsets.UTF_8);
        List<String> lines = md.lines().toList();

        assertThat(lines.get(0)).startsWith("# ").contains("msd-adaloss-c10", "cifar10", "10000");
        assertThat(md).contains(
                "| Exit | After unit | Cumulative MMACs | % of full cost | Test accuracy | Test error |");
        List<String> exitRows = lines.stream().filter(l -> l.matches("\\| \\d \\| \\d \\| .*")).toList();
        assertThat(exitRows).hasSize(4);
        assertThat(exitRows.get(0)).isEqualTo("| 1 | 2 | 40.000 | 25.0 | 61.00% | 39.00% |");
        assertThat(exitRows.get(1)).contains("| 80.000 | 50.0 |");
        assertThat(exitRows.get(3)).contains("| 160.000 | 100.0 | 80.12% | 19.88% |");

        assertThat(md).contains("```json\n{\n").contains("\"schedule\": {").contains("\"type\": \"cosine\"");
        assertThat(md).contains("| Epoch | Train loss | LR |");
        assertThat(md).contains("| 1 | 1.9000 | 0.100 | 12.5 | 4000 | [40.0, 50.0, 55.0, 58.0] | [0.250, 0.250, 0.250, 0.250] |");
        assertThat(md).contains("| 2 | 1.2000 | 5.00e-05 |");
        assertThat(md).contains("![anytime](anytime.png)");
    }

    @Test
    void atomicWriteLeavesNoTempFileWhenTheBodyFails() throws IOException {
        Path target = dir.resolve("x.txt");
        Files.writeString(target, "old");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            throw new IOException("boom");
        })).isInstanceOf(IOException.class).hasMessage("boom");
        assertThat(Files.readString(target)).isEqualTo("old");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }
}
