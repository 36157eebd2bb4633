package dev.anytimenn.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anytimenn.io.Jsons;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportJsonTest {

    @TempDir
    Path dir;

    @Test
    void roundTripPreservesEverythingIncludingNestedConfig() throws IOException {
        RunReport r = Samples.report();
        Path f = dir.resolve("report.json");
        ReportFiles.writeJson(r, f);
        RunReport back = ReportFiles.readJson(f);
        assertThat(back).isEqualTo(r);
        assertThat(back.config().at("/train/schedule/type").asText()).isEqualTo("cosine");
        assertThat(back.config().at("/model/units/2").asInt()).isEqualTo(3);
        assertThat(back.fullCostMacs()).isEqualTo(160_000_000L);
    }

    @Test
    void jsonHasExactlyTheDocumentedFieldsInOrder() throws IOException {
        JsonNode tree = Jsons.MAPPER.readTree(Jsons.MAPPER.writeValueAsString(Samples.report()));
        assertThat(fieldNames(tree)).containsExactly("name", "createdAt", "dataset", "testImages",
                "config", "exits", "history", "trainingSeconds");
        for (JsonNode exit : tree.get("exits")) {
            assertThat(fieldNames(exit)).containsExactly("index", "afterUnit", "macs", "cumulativeMacs",
                    "testAccuracy");
        }
        assertThat(fieldNames(tree.get("history").get(0))).containsExactly("epoch", "trainLoss",
                "learningRate", "seconds", "imagesPerSecond", "validationAccuracy", "validationLoss",
                "weights");
        assertThat(tree.get("exits").get(0).get("macs").isIntegralNumber()).isTrue();
    }

    @Test
    void unknownFieldsAreIgnoredWhenReading() throws IOException {
        ObjectNode tree = Jsons.MAPPER.valueToTree(Samples.report());
        tree.put("futureField", "x");
        tree.putObject("futureObject").put("a", 1);
        ((ObjectNode) tree.get("exits").get(0)).put("top5Accuracy", 0.9);
        ((ObjectNode) tree.get("history").get(0)).putArray("futureArray").add(1);
        Path f = dir.resolve("report.json");
        Files.write(f, Jsons.MAPPER.writeValueAsBytes(tree));
        assertThat(ReportFiles.readJson(f)).isEqualTo(Samples.report());
    }

    @Test
    void corruptFileGivesOneLineMessageNamingTheFile() throws IOException {
        Path f = dir.resolve("report.json");
        Files.writeString(f, "{\"name\": \"x\", \"exits\": [", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ReportFiles.readJson(f))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(f.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void emptyAndMissingFilesAreNamed() throws IOException {
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "");
        assertThatThrownBy(() -> ReportFiles.readJson(empty))
                .hasMessageContaining(empty.toString()).hasMessageContaining("empty");
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> ReportFiles.readJson(missing))
                .isInstanceOf(IOException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void missingFieldsAreReportedWithTheirPath() throws IOException {
        ObjectNode tree = Jsons.MAPPER.valueToTree(Samples.report());
        ((ObjectNode) tree.get("exits").get(1)).remove("cumulativeMacs");
        Path f = dir.resolve("report.json");
        Files.write(f, Jsons.MAPPER.writeValueAsBytes(tree));
        assertThatThrownBy(() -> ReportFiles.readJson(f))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("cumulativeMacs")
                .hasMessageContaining("missing field at exits[1].cumulativeMacs")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

        ObjectNode top = Jsons.MAPPER.valueToTree(Samples.report());
        top.remove("config");
        Files.write(f, Jsons.MAPPER.writeValueAsBytes(top));
        assertThatThrownBy(() -> ReportFiles.readJson(f)).hasMessageContaining("config");

        ObjectNode noExits = Jsons.MAPPER.valueToTree(Samples.report());
        noExits.set("exits", noExits.arrayNode());
        Files.write(f, Jsons.MAPPER.writeValueAsBytes(noExits));
        assertThatThrownBy(() -> ReportFiles.readJson(f))
                .hasMessageContaining(f.toString()).hasMessageContaining("at least one exit")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void wrongTypeIsReported() throws IOException {
        Path f = dir.resolve("report.json");
        Files.writeString(f, "[1, 2, 3]");
        assertThatThrownBy(() -> ReportFiles.readJson(f)).isInstanceOf(IOException.class)
                .hasMessageContaining(f.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void testErrorIsOneMinusAccuracy() {
        assertThat(new ExitResult(1, 1, 1, 1, 0.75).testError()).isEqualTo(0.25);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

}
