package dev.anytimenn.spark;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.eval.EvaluationProtocols;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.AnytimePredictor;
import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.infer.Prediction;
import dev.anytimenn.infer.StoppingRule;
import dev.anytimenn.io.Jsons;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job in local[2]: the same answers as the single-process library, image by image; summaries; bad input. */
class BatchPredictTest {

    static final int IMAGES = 600;
    static final int VALIDATION = 1000;

    @TempDir
    static Path temp;
    static SparkSession spark;
    static AnytimeModel model;
    static ImageSet test;
    static ImageSet validation;
    static Path testIdx;
    static Path validationIdx;

    @BeforeAll
    static void start() throws Exception {
        EngineSettings.prepare(1); // as the job's driver does first
        spark = SparkSession.builder().master("local[2]").appName("BatchPredictTest")
                .config("spark.ui.enabled", false).config("spark.sql.shuffle.partitions", 2)
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
        test = TestImages.test(IMAGES);
        validation = TestImages.validation(VALIDATION);
        testIdx = TestImages.writeIdx(test, temp, "test");
        validationIdx = TestImages.writeIdx(validation, temp, "validation");
        model = AnytimeModel.open(TestImages.MODEL, Device.cpu());
    }

    @AfterAll
    static void stop() {
        model.close();
        spark.stop();
    }

    /** What one process gets from the library for every image of {@code set}, batch after batch. */
    static List<Prediction> singleProcess(ImageSet set, StoppingRule rule) {
        AnytimePredictor predictor = model.predictor();
        List<Prediction> all = new ArrayList<>();
        for (int from = 0; from < set.size(); from += 256) {
            List<byte[]> batch = new ArrayList<>();
            for (int i = from; i < Math.min(set.size(), from + 256); i++) {
                batch.add(TestImages.image(set, i));
            }
            all.addAll(predictor.predictBatch(batch, rule));
        }
        return all;
    }

    static Map<String, Row> outputById(String output) {
        Map<String, Row> rows = new HashMap<>();
        for (Row r : spark.read().parquet(output).collectAsList()) {
            rows.put(r.getString(0), r);
        }
        return rows;
    }

    /** Every row of the output against the single-process answer of the image with that id ({@code prefix} + index). */
    static void assertSameAnswers(Map<String, Row> output, String prefix, ImageSet set, List<Prediction> expected) {
        assertThat(output).hasSize(set.size());
        for (int i = 0; i < set.size(); i++) {
            Row row = output.get(prefix + i);
            Prediction p = expected.get(i);
            assertThat(row.isNullAt(6)).as("error of image %d", i).isTrue();
            assertThat(row.getInt(1)).as("label of image %d", i).isEqualTo(p.label());
            assertThat(row.getInt(2)).as("exit of image %d", i).isEqualTo(p.exit());
            assertThat(row.getLong(3)).as("MACs of image %d", i).isEqualTo(p.macs());
            List<Float> probabilities = row.getList(4);
            assertThat(probabilities).as("probabilities of image %d", i).hasSize(p.probabilities().length);
            for (int c = 0; c < probabilities.size(); c++) {
                assertThat(probabilities.get(c)).isEqualTo(p.probabilities()[c]);
            }
            assertThat(row.getInt(5)).isEqualTo(set.labels()[i]);
        }
    }

    @Test
    void underABudgetEveryImageGetsTheSingleProcessAnswer() throws Exception {
        String output = temp.resolve("budget").toString();
        // batches and partitions unlike the single-process run's: an image's answer must not depend on its company
        JobSummary summary = BatchPredict.run(spark, "--model", TestImages.MODEL.toString(), "--input", testIdx.toString(),
                "--output", output, "--budget-macs", "8000000", "--batch-size", "100", "--partitions", "3");

        List<Prediction> expected = singleProcess(test, new StoppingRule.CostBudget(8_000_000));
        assertSameAnswers(outputById(output), "", test, expected);
        assertThat(expected).extracting(Prediction::exit).containsOnly(2); // exit 2 costs 7.34 MMACs, exit 3 10.05
        assertThat(summary.format()).isEqualTo("idx");
        assertThat(summary.partitions()).isEqualTo(3);
        assertThat(summary.images()).isEqualTo(IMAGES);
        assertThat(summary.unreadable()).isZero();
        assertThat(summary.exitCounts()).containsExactly(0, 0, IMAGES, 0, 0, 0, 0);
        long correct = 0;
        for (int i = 0; i < IMAGES; i++) {
            correct += expected.get(i).label() == test.labels()[i] ? 1 : 0;
        }
        assertThat(summary.accuracy()).isEqualTo((double) correct / IMAGES);
        assertThat(summary.meanMacs()).isEqualTo((double) model.exitCosts().get(1).cumulativeMacs());
    }

    @Test
    void calibratedOnTheDriverTheSummaryIsTheBudgetedProtocolsAndEveryAnswerTheLibrarys() throws Exception {
        // the test images as a Parquet table of raw pixels, ids and labels
        String table = temp.resolve("test.parquet").toString();
        writeTable(test, table, Map.of());
        String output = temp.resolve("calibrated").toString();
        JobSummary summary = BatchPredict.run(spark, "--model", TestImages.MODEL.toString(), "--input", table,
                "--output", output, "--calibrated", "--validation", validationIdx.toString());

        EvaluationProtocols.BudgetedProtocol protocol = EvaluationProtocols.budgeted(model, validation, test,
                ConfidenceScore.MAX_SOFTMAX, null);
        assertThat(summary.format()).isEqualTo("parquet");
        assertThat(summary.thresholds()).isEqualTo(protocol.thresholds());
        assertThat(summary.calibration().q()).isEqualTo(protocol.chosen().q());
        assertThat(summary.calibration().images()).isEqualTo(VALIDATION);
        assertThat(summary.accuracy()).isEqualTo(protocol.chosen().accuracy());
        assertThat(summary.meanMacs()).isEqualTo(protocol.chosen().averageMacs());
        assertThat(summary.exitFractions()).containsExactly(protocol.chosen().exitFractions());
        // a real operating point: images leave at more than one exit
        assertThat(java.util.Arrays.stream(summary.exitCounts()).filter(n -> n > 0).count()).isGreaterThan(1);

        assertSameAnswers(outputById(output), "id-", test, singleProcess(test, new StoppingRule.Confidence(protocol.thresholds())));

        var written = Jsons.MAPPER.readTree(Path.of(output, JobSummary.JSON).toFile());
        assertThat(written.get("accuracy").asDouble()).isEqualTo(protocol.chosen().accuracy());
        assertThat(written.get("thresholds").get("score").asText()).isEqualTo("max-softmax");
        assertThat(Files.readString(Path.of(output, JobSummary.MARKDOWN))).contains("| Exit | Cumulative MMACs |");
        // Spark reads the output folder as the predictions alone: the reports beside them are skipped
        assertThat(spark.read().parquet(output).count()).isEqualTo(IMAGES);
    }

    @Test
    void thresholdsCalibratedOnTheLastImagesOfATrainingFileAreTheProtocolsToo() throws Exception {
        // validation = the last 300 of the 1000 validation images, as train --val-size holds them out
        String output = temp.resolve("hold-out").toString();
        JobSummary summary = BatchPredict.run(spark, "--model", TestImages.MODEL.toString(), "--input",
                testIdx.toString(), "--output", output, "--calibrated", "--validation", validationIdx.toString(),
                "--validation-last", "300", "--score", "margin");

        EvaluationProtocols.Calibration expected = EvaluationProtocols.calibrate(model,
                validation.slice(VALIDATION - 300, VALIDATION), ConfidenceScore.MARGIN, null);
        assertThat(summary.thresholds()).isEqualTo(expected.thresholds());
        assertThat(summary.calibration().images()).isEqualTo(300);
        assertThat(summary.calibration().validation()).endsWith("(last 300)");
    }

    @Test
    void unreadableRowsAreCountedAndNamedAndTheRestPredicted() throws Exception {
        String table = temp.resolve("damaged.parquet").toString();
        Map<Integer, Object> damage = new HashMap<>();
        damage.put(3, new byte[100]); // truncated
        damage.put(10, null); // missing
        damage.put(11, -1); // a label outside the classes
        damage.put(250, new byte[0]);
        writeTable(test.slice(0, 300), table, damage);
        String output = temp.resolve("damaged").toString();

        JobSummary summary = BatchPredict.run(spark, "--model", TestImages.MODEL.toString(), "--input", table,
                "--output", output);

        assertThat(summary.images()).isEqualTo(300);
        assertThat(summary.unreadable()).isEqualTo(4);
        assertThat(summary.predicted()).isEqualTo(296);
        assertThat(summary.firstUnreadable()).extracting(JobSummary.UnreadableRow::id)
                .containsExactly("id-3", "id-10", "id-11", "id-250");
        assertThat(summary.firstUnreadable()).extracting(JobSummary.UnreadableRow::error).containsExactly(
                "image of 100 bytes; the model takes 1x28x28 = 784", "no image", "label -1 is outside [0, 10)",
                "image of 0 bytes; the model takes 1x28x28 = 784");
        Map<String, Row> rows = outputById(output);
        assertThat(rows).hasSize(300);
        assertThat(rows.get("id-3").isNullAt(1)).isTrue();
        assertThat(rows.get("id-4").getInt(2)).isEqualTo(6); // every unit: the final exit
        assertThat(Files.readString(Path.of(output, JobSummary.MARKDOWN))).contains("Unreadable rows: 4")
                .contains("- `id-10`: no image");
    }

    @Test
    void aTableOfPngFilesWithoutIdsOrLabelsIsNumberedByRow() throws Exception {
        // as Hugging Face data sets store images: a struct with the file's bytes and path
        StructType image = new StructType().add("bytes", DataTypes.BinaryType).add("path", DataTypes.StringType);
        StructType schema = new StructType().add("image", image);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Path png = temp.resolve("row-" + i + ".png");
            writePng(TestImages.image(test, i), png);
            rows.add(RowFactory.create(RowFactory.create(Files.readAllBytes(png), png.toString())));
        }
        String table = temp.resolve("pngs.parquet").toString();
        spark.createDataFrame(rows, schema).repartition(2).write().parquet(table);
        String output = temp.resolve("from-pngs").toString();

        JobSummary summary = BatchPredict.run(spark, "--model", TestImages.MODEL.toString(), "--input", table,
                "--output", output, "--budget-macs", "14000000");

        assertThat(summary.images()).isEqualTo(30);
        assertThat(summary.unreadable()).isZero();
        assertThat(summary.labelled()).isZero();
        assertThat(summary.accuracy()).isNull();
        Map<String, Row> written = outputById(output);
        assertThat(written.keySet()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.range(0, 30).mapToObj(Integer::toString).toList());
        // the row numbers follow the table's order, whose rows were shuffled into two files: match by content
        Map<String, Integer> index = new HashMap<>();
        List<Row> read = spark.read().parquet(table).collectAsList();
        for (Row r : read) {
            String path = r.getStruct(0).getString(1);
            index.put(path, Integer.parseInt(path.substring(path.lastIndexOf('-') + 1, path.length() - ".png".length())));
        }
        List<Prediction> expected = singleProcess(test.slice(0, 30), new StoppingRule.CostBudget(14_000_000));
        for (int n = 0; n < read.size(); n++) {
            int i = index.get(read.get(n).getStruct(0).getString(1));
            Row row = written.get(Integer.toString(n));
            assertThat(row.getInt(1)).isEqualTo(expected.get(i).label());
            assertThat(row.getInt(2)).isEqualTo(4);
            assertThat(row.isNullAt(5)).isTrue();
        }
    }

    @Test
    void imageFilesInClassFoldersAreReadAsTheSameImagesAndLabelled() throws Exception {
        Path folder = temp.resolve("pictures");
        List<String> classes = model.classNames();
        for (int i = 0; i < 40; i++) {
            Path dir = Files.createDirectories(folder.resolve(safe(classes.get(test.labels()[i]))));
            writePng(TestImages.image(test, i), dir.resolve(i + ".png"));
        }
        Files.writeString(folder.resolve("Bag").resolve("notes.png"), "not a picture");
        String output = temp.resolve("from-pictures").toString();

        JobSummary summary = BatchPredict.run(spark, "--model", TestImages.MODEL.toString(), "--input",
                folder.toString(), "--output", output, "--budget-macs", "11000000");

        assertThat(summary.format()).isEqualTo("folder");
        assertThat(summary.images()).isEqualTo(41);
        assertThat(summary.unreadable()).isEqualTo(1);
        assertThat(summary.firstUnreadable().get(0).id()).endsWith("Bag/notes.png");
        assertThat(summary.firstUnreadable().get(0).error()).isEqualTo("not a PNG or JPEG image");
        List<Prediction> expected = singleProcess(test.slice(0, 40), new StoppingRule.CostBudget(11_000_000));
        for (Row row : spark.read().parquet(output).where("error IS NULL").collectAsList()) {
            String id = row.getString(0);
            int i = Integer.parseInt(id.substring(id.lastIndexOf('/') + 1, id.length() - ".png".length()));
            assertThat(row.getInt(1)).isEqualTo(expected.get(i).label());
            assertThat(row.getInt(2)).isEqualTo(3);
            String folderName = safe(classes.get(test.labels()[i]));
            // labels come from folder names that are class names ("T-shirt/top" cannot be one)
            assertThat(row.isNullAt(5) ? null : row.getInt(5))
                    .isEqualTo(folderName.equals(classes.get(test.labels()[i])) ? test.labels()[i] : null);
        }
    }

    @Test
    void aDeadlineRunsImagesOneByOne() throws Exception {
        String output = temp.resolve("deadline").toString();
        JobSummary summary = BatchPredict.run(spark, "--model", TestImages.MODEL.toString(), "--input",
                testIdx.toString(), "--output", output, "--deadline-ms", "2000", "--partitions", "2");
        // every image has the time for every exit, however slow a shared machine is
        assertThat(summary.exitCounts()).containsExactly(0, 0, 0, 0, 0, 0, IMAGES);
        assertThat(summary.rule()).contains("deadline");
    }

    @Test
    void aModelThatDoesNotFitTheImagesFailsOnTheDriverInOneLine() throws Exception {
        ImageSet wide = new ImageSet(new byte[50 * 32 * 32], new int[50], 1, 32, 32, 10);
        Path idx = TestImages.writeIdx(wide, temp, "wide");
        spark.sparkContext().setJobGroup("shape-check", "shape check", false);
        Result r = execute("--model", TestImages.MODEL.toString(), "--input", idx.toString(), "--output",
                temp.resolve("never").toString());
        spark.sparkContext().clearJobGroup();
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: " + idx + ": images are 1x32x32, the model takes 1x28x28\n");
        assertThat(spark.sparkContext().statusTracker().getJobIdsForGroup("shape-check")).isEmpty();
        assertThat(temp.resolve("never")).doesNotExist();

        String table = temp.resolve("wide.parquet").toString();
        writeTable(wide, table, Map.of());
        Result parquet = execute("--model", TestImages.MODEL.toString(), "--input", table, "--output",
                temp.resolve("never").toString());
        assertThat(parquet.code()).isEqualTo(1);
        assertThat(parquet.err()).isEqualTo("error: " + table + ": images of 1024 bytes (row id-0) do not fit the "
                + "model's input 1x28x28 = 784 bytes, nor are they PNG or JPEG files\n");
        assertThat(temp.resolve("never")).doesNotExist();
    }

    @Test
    void otherMistakesAreOneLineToo() throws Exception {
        String output = temp.resolve("taken").toString();
        Files.createDirectories(Path.of(output));
        assertThat(execute("--model", TestImages.MODEL.toString(), "--input", testIdx.toString(), "--output", output).err())
                .isEqualTo("error: " + output + ": already exists (give --overwrite to replace it)\n");
        assertThat(execute("--model", TestImages.MODEL.toString(), "--input", testIdx.toString(), "--output",
                temp.resolve("x").toString(), "--calibrated").err())
                .isEqualTo("error: ../models/fashion-mnist: no calibrated thresholds in the model; give --validation PATH "
                        + "to calibrate them on the driver, or store them with: anytime eval RUN_DIR --protocol budgeted\n");
        assertThat(execute("--model", TestImages.MODEL.toString(), "--input", temp.resolve("missing").toString(),
                "--output", temp.resolve("x").toString()).err())
                .isEqualTo("error: " + temp.resolve("missing") + ": no such file or folder\n");
        assertThat(execute("--model", temp.toString(), "--input", testIdx.toString(), "--output",
                temp.resolve("x").toString()).err()).startsWith("error: " + temp + ": neither a model folder");
        Result twoRules = execute("--model", "m", "--input", "i", "--output", "o", "--budget-macs", "1", "--calibrated");
        assertThat(twoRules.code()).isEqualTo(2);
    }

    record Result(int code, String out, String err) {}

    static Result execute(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BatchPredict.execute(spark, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code set} as a Parquet table (id "id-i", image bytes, label), with {@code damage}: row index to a
     * replacement image (byte[] or null) or label (Integer).
     */
    static void writeTable(ImageSet set, String path, Map<Integer, Object> damage) {
        StructType schema = new StructType().add("id", DataTypes.StringType).add("image", DataTypes.BinaryType)
                .add("label", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            Object image = TestImages.image(set, i);
            Object label = set.labels()[i];
            if (damage.containsKey(i)) {
                Object d = damage.get(i);
                if (d instanceof Integer) {
                    label = d;
                } else {
                    image = d;
                }
            }
            rows.add(RowFactory.create("id-" + i, image, label));
        }
        spark.createDataFrame(rows, schema).repartition(1).write().parquet(path);
    }

    static String safe(String className) {
        return className.replace('/', '_');
    }

    static void writePng(byte[] grey, Path file) throws Exception {
        var image = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, 28, 28, grey);
        javax.imageio.ImageIO.write(image, "png", file.toFile());
    }
}
