package dev.anytimenn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.anytimenn.data.FashionMnist;
import dev.anytimenn.eval.CalibratedThresholds;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.infer.ExitThresholds;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.store.RunFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** predict and the evaluation protocols, end to end on a tiny trained run. */
class PredictAndProtocolsTest {

    @TempDir
    static Path temp;
    static Path run;
    static Path data;

    @BeforeAll
    static void trainTinyRun() throws Exception {
        data = temp.resolve("data");
        run = temp.resolve("run");
        TinyRun.train(data, run, 900, 300, 300);
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void predictsPngAndIdxImagesAsJson() throws Exception {
        Path png = temp.resolve("shirt.png");
        BufferedImage image = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
        image.getGraphics().fillRect(10, 10, 30, 30);
        ImageIO.write(image, "png", png.toFile());
        Path idx = data.resolve(FashionMnist.TEST_IMAGES + ".gz");

        CliRun o = run("predict", run.toString(), "--input", png.toString(), "--idx", idx.toString(),
                "--index", "0", "7", "--json", "--budget-macs", "100000000");

        assertThat(o.err()).isEmpty();
        assertThat(o.code()).isZero();
        var lines = o.out().lines().toList();
        assertThat(lines).hasSize(3);
        for (String line : lines) {
            JsonNode p = Jsons.MAPPER.readTree(line);
            assertThat(p.get("label").asInt()).isBetween(0, 9);
            assertThat(p.get("probabilities")).hasSize(10);
            assertThat(p.get("exit").asInt()).isEqualTo(3);
            assertThat(p.get("macs").asLong()).isPositive();
            assertThat(p.has("elapsedMs")).isTrue();
        }
    }

    @Test
    void badInputsGetOneLineErrors() throws Exception {
        Path text = temp.resolve("notes.png");
        Files.writeString(text, "this is not an image");
        CliRun notImage = run("predict", run.toString(), "--input", text.toString());
        assertThat(notImage.code()).isEqualTo(1);
        assertThat(notImage.err()).isEqualTo("error: " + text + ": not a PNG or JPEG image" + System.lineSeparator());

        Path missing = temp.resolve("missing.png");
        assertThat(run("predict", run.toString(), "--input", missing.toString()).err())
                .isEqualTo("error: " + missing + ": no such file" + System.lineSeparator());

        Path idx = data.resolve(FashionMnist.TEST_IMAGES + ".gz");
        assertThat(run("predict", run.toString(), "--idx", idx.toString(), "--index", "300").err())
                .contains(idx.toString()).contains("has 300 images; index 300 is out of range");

        CliRun negative = run("predict", run.toString(), "--idx", idx.toString(), "--index", "0", "--deadline-ms", "-5");
        assertThat(negative.code()).isEqualTo(1);
        assertThat(negative.err()).isEqualTo("error: a deadline cannot be negative, got -5 ms" + System.lineSeparator());

        CliRun nothing = run("predict", run.toString());
        assertThat(nothing.code()).isEqualTo(1);
        assertThat(nothing.err()).contains("--input");

        CliRun twoRules = run("predict", run.toString(), "--input", text.toString(), "--budget-macs", "1",
                "--deadline-ms", "1");
        assertThat(twoRules.code()).isEqualTo(2);
    }

    @Test
    void protocolsWriteTheirReportsAndStoreThresholdsForPredict() throws Exception {
        CliRun anytime = run("eval", run.toString(), "--protocol", "anytime");
        assertThat(anytime.code()).as(anytime.err()).isZero();
        for (String ext : new String[] {".json", ".md", ".png", ".svg"}) {
            assertThat(run.resolve("anytime-protocol" + ext)).isNotEmptyFile();
            assertThat(run.resolve("budgeted" + ext)).doesNotExist();
        }

        CliRun budgeted = run("eval", run.toString(), "--protocol", "budgeted", "--score", "margin");
        assertThat(budgeted.code()).as(budgeted.err()).isZero();
        for (String ext : new String[] {".json", ".md", ".png", ".svg"}) {
            assertThat(run.resolve("budgeted" + ext)).isNotEmptyFile();
        }
        JsonNode written = Jsons.MAPPER.readTree(run.resolve(RunFiles.THRESHOLDS).toFile());
        assertThat(written.get("thresholds").get("thresholds")).hasSize(3);
        // the run opens with them, and its model file carries them too, so a deployment that copies only
        // the model file keeps them
        try (AnytimeModel fromRun = AnytimeModel.open(run, Device.cpu());
                AnytimeModel fromFile = AnytimeModel.open(run.resolve(RunFiles.MODEL), Device.cpu())) {
            ExitThresholds stored = fromRun.calibratedThresholds();
            assertThat(stored.score()).isEqualTo(ConfidenceScore.MARGIN);
            assertThat(stored.thresholds()).containsExactly(Jsons.MAPPER.treeToValue(
                    written.get("thresholds").get("thresholds"), double[].class));
            assertThat(fromFile.thresholds()).contains(stored);
        }

        CliRun unreachable = run("eval", run.toString(), "--protocol", "budgeted", "--target-macs", "1");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).contains("no threshold setting reaches an average of 1 MACs");
    }

    @Test
    void predictCalibratedUsesTheStoredThresholds() throws Exception {
        Path calibrated = temp.resolve("calibrated");
        copyRun(calibrated);
        Path idx = data.resolve(FashionMnist.TEST_IMAGES + ".gz");
        double inf = Double.POSITIVE_INFINITY;
        // everyone leaves at exit 1; then nobody leaves before the last
        int[] expected = {1, 3};
        double[][] thresholds = {{-inf, -inf, -inf}, {inf, inf, -inf}};
        for (int k = 0; k < 2; k++) {
            new CalibratedThresholds(new ExitThresholds(ConfidenceScore.MAX_SOFTMAX, thresholds[k]), 0.5, 0.9, 1e6,
                    "test").write(calibrated);
            CliRun predicted = run("predict", calibrated.toString(), "--idx", idx.toString(), "--index", "1", "4",
                    "--calibrated", "--json");
            assertThat(predicted.code()).as(predicted.err()).isZero();
            for (String line : predicted.out().lines().toList()) {
                assertThat(Jsons.MAPPER.readTree(line).get("exit").asInt()).as(line).isEqualTo(expected[k]);
            }
        }
        Files.delete(calibrated.resolve(RunFiles.THRESHOLDS));
        CliRun none = run("predict", calibrated.toString(), "--idx", idx.toString(), "--index", "1", "--calibrated");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("no calibrated thresholds").contains("--protocol budgeted");
    }

    @Test
    void anExportedModelFileAnswersAsTheRunDoes() throws Exception {
        Path out = temp.resolve("exported");
        CliRun export = run("export", run.toString(), "--out", out.toString());
        assertThat(export.code()).as(export.err()).isZero();
        assertThat(out.resolve(RunFiles.MODEL)).isNotEmptyFile();
        Path idx = data.resolve(FashionMnist.TEST_IMAGES + ".gz");
        for (String budget : new String[] {"1", "100000000"}) {
            String[] args = {"--idx", idx.toString(), "--index", "0", "3", "9", "--json", "--budget-macs", budget};
            List<JsonNode> fromRun = predictions(run, args);
            List<JsonNode> fromFile = predictions(out, args);
            assertThat(fromFile).hasSize(3);
            for (int i = 0; i < 3; i++) {
                for (String field : new String[] {"label", "probabilities", "exit", "macs"}) {
                    assertThat(fromFile.get(i).get(field)).isEqualTo(fromRun.get(i).get(field));
                }
            }
        }
        // the checkpoint alone exports the same parameters
        Path fromCheckpoint = temp.resolve("exported-ckpt");
        assertThat(run("export", run.resolve(RunFiles.CHECKPOINT).toString(), "--out", fromCheckpoint.toString())
                .code()).isZero();
        assertThat(Files.size(fromCheckpoint.resolve(RunFiles.MODEL))).isEqualTo(Files.size(out.resolve(RunFiles.MODEL)));
    }

    @Test
    void onnxAndPyTorchExportsAnswerAsTheRunDoes() throws Exception {
        Path out = temp.resolve("exported-onnx");
        CliRun export = run("export", run.toString(), "--format", "onnx,safetensors", "--out", out.toString());
        assertThat(export.code()).as(export.err()).isZero();
        for (String file : new String[] {"anytime.onnx", "segment-1.onnx", "segment-2.onnx", "segment-3.onnx",
                "model.json", "anytime.safetensors"}) {
            assertThat(out.resolve(file)).isNotEmptyFile();
            assertThat(export.out()).contains("wrote " + out.resolve(file));
        }
        assertThat(out.resolve(RunFiles.MODEL)).doesNotExist();
        Path idx = data.resolve(FashionMnist.TEST_IMAGES + ".gz");
        // exit 1 (about 0.25 MMACs) and exit 3
        String[] budgets = {"300000", "100000000"};
        int[] exits = {1, 3};
        for (int b = 0; b < 2; b++) {
            String[] args = {"--idx", idx.toString(), "--index", "0", "3", "9", "--json", "--budget-macs", budgets[b]};
            List<JsonNode> djl = predictions(run, args);
            List<JsonNode> ort = predictions(run, append(args, "--engine", "onnxruntime"));
            // the file with PyTorch-style names holds the same parameters
            List<JsonNode> pytorchNamed = predictions(out.resolve("anytime.safetensors"), args);
            for (int i = 0; i < 3; i++) {
                assertThat(ort.get(i).get("exit").asInt()).isEqualTo(exits[b]);
                for (String field : new String[] {"label", "exit", "macs"}) {
                    assertThat(ort.get(i).get(field)).isEqualTo(djl.get(i).get(field));
                }
                assertThat(pytorchNamed.get(i).get("probabilities")).isEqualTo(djl.get(i).get("probabilities"));
                double[] fromOrt = Jsons.MAPPER.treeToValue(ort.get(i).get("probabilities"), double[].class);
                double[] fromDjl = Jsons.MAPPER.treeToValue(djl.get(i).get("probabilities"), double[].class);
                assertThat(fromOrt).containsExactly(fromDjl, org.assertj.core.api.Assertions.within(1e-4));
            }
        }
    }

    @Test
    void theProtocolsRunOnOnnxRuntimeToo() throws Exception {
        Path byDjl = temp.resolve("protocols-djl");
        Path byOrt = temp.resolve("protocols-ort");
        copyRun(byDjl);
        copyRun(byOrt);
        assertThat(run("eval", byDjl.toString(), "--protocol", "anytime").code()).isZero();
        CliRun ort = run("eval", byOrt.toString(), "--protocol", "anytime", "--engine", "onnxruntime");
        assertThat(ort.code()).as(ort.err()).isZero();
        JsonNode fromDjl = Jsons.MAPPER.readTree(byDjl.resolve("anytime-protocol.json").toFile());
        JsonNode fromOrt = Jsons.MAPPER.readTree(byOrt.resolve("anytime-protocol.json").toFile());
        assertThat(fromOrt.get("exitAccuracy")).isEqualTo(fromDjl.get("exitAccuracy"));
        assertThat(fromOrt.get("cumulativeMacs")).isEqualTo(fromDjl.get("cumulativeMacs"));

        CliRun budgeted = run("eval", byOrt.toString(), "--protocol", "budgeted", "--engine", "onnxruntime");
        assertThat(budgeted.code()).as(budgeted.err()).isZero();
        assertThat(byOrt.resolve(RunFiles.THRESHOLDS)).isNotEmptyFile();

        CliRun exits = run("eval", byOrt.toString(), "--protocol", "exits", "--engine", "onnxruntime");
        assertThat(exits.code()).isEqualTo(1);
        assertThat(exits.err()).isEqualTo("error: --protocol exits rewrites the training report with DJL; --engine "
                + "onnxruntime runs --protocol anytime and budgeted" + System.lineSeparator());
    }

    @Test
    void unknownEnginesAndFormatsAreNamed() {
        Path idx = data.resolve(FashionMnist.TEST_IMAGES + ".gz");
        CliRun engine = run("predict", run.toString(), "--idx", idx.toString(), "--index", "0", "--engine", "tvm");
        assertThat(engine.code()).isEqualTo(1);
        assertThat(engine.err()).isEqualTo("error: unknown engine 'tvm'; choose djl or onnxruntime"
                + System.lineSeparator());
        CliRun level = run("predict", run.toString(), "--idx", idx.toString(), "--index", "0", "--engine",
                "onnxruntime", "--ort-optimization", "max");
        assertThat(level.err()).isEqualTo("error: unknown graph optimisation level 'max'; choose one of: none, basic, "
                + "extended, all" + System.lineSeparator());
        CliRun format = run("export", run.toString(), "--format", "onnx,tflite", "--out", temp.resolve("x").toString());
        assertThat(format.code()).isEqualTo(1);
        assertThat(format.err()).isEqualTo("error: --format: unknown format 'tflite'; choose from model, onnx, "
                + "safetensors" + System.lineSeparator());
        assertThat(temp.resolve("x")).doesNotExist();
    }

    private static String[] append(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static List<JsonNode> predictions(Path model, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("predict", model.toString()));
        all.addAll(List.of(args));
        CliRun o = run(all.toArray(String[]::new));
        assertThat(o.code()).as(o.err()).isZero();
        List<JsonNode> out = new ArrayList<>();
        for (String line : o.out().lines().toList()) {
            out.add(Jsons.MAPPER.readTree(line));
        }
        return out;
    }

    /** A copy of the trained run, for tests that change its files. */
    private static void copyRun(Path target) throws Exception {
        Files.createDirectories(target);
        for (String name : new String[] {RunFiles.CONFIG, RunFiles.CHECKPOINT, RunFiles.MODEL}) {
            Files.copy(run.resolve(name), target.resolve(name));
        }
    }
}
