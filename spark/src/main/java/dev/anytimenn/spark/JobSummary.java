package dev.anytimenn.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.anytimenn.eval.report.MarkdownTable;
import dev.anytimenn.infer.ExitThresholds;
import dev.anytimenn.io.Jsons;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a job did, computed with Spark aggregations over the Parquet it wrote (so it describes exactly that
 * output), and written beside it as {@value #JSON} and {@value #MARKDOWN} (Spark and Parquet readers skip
 * names starting with an underscore).
 *
 * @param images input rows; {@code predicted} of them were read and predicted, {@code unreadable} were not
 * @param firstUnreadable the first few unreadable rows in input order
 * @param labelled predicted rows with a true label; {@code accuracy} is over them (null when none)
 * @param meanMacs MACs per predicted image (null when none)
 * @param exitCounts predicted images per exit, index 0 for "no exit reached before the deadline"
 * @param exitFractions exits 1..K: the fraction of the predicted images that each answered
 * @param thresholds the calibrated thresholds the job ran with, else null
 * @param calibration how they were calibrated on the driver, null when they came from the model file
 * @param seconds wall time of predicting and writing (after the driver's checks and calibration)
 */
public record JobSummary(String model, String input, String format, String output, String rule, long images,
        long predicted, long unreadable, List<UnreadableRow> firstUnreadable, long labelled, Double accuracy,
        Double meanMacs, long[] cumulativeMacs, long[] exitCounts, double[] exitFractions, ExitThresholds thresholds,
        Calibration calibration, int partitions, double seconds, double imagesPerSecond) {

    public static final String JSON = "_summary.json";
    public static final String MARKDOWN = "_summary.md";
    /** How many unreadable rows the summary names. */
    static final int FIRST_UNREADABLE = 5;

    public record UnreadableRow(String id, String error) {}

    /**
     * @param validation where the validation set came from; {@code images} of them
     * @param onValidationAccuracy and {@code onValidationMeanMacs}: what the thresholds gave there
     */
    public record Calibration(String validation, int images, String score, double q, double onValidationAccuracy,
            double onValidationMeanMacs, String choice) {}

    /** What the driver knows before the job runs. */
    record Job(String model, String input, String format, String output, StoppingPlan plan, Calibration calibration,
            long[] cumulativeMacs) {}

    static JobSummary of(Job job, Dataset<Row> written, int partitions, double seconds) {
        Column ok = col("error").isNull();
        Row totals = written.agg(count(lit(1)), count(col("error")), sum(when(ok.and(col("trueLabel").isNotNull()), 1)),
                sum(when(ok.and(col("label").equalTo(col("trueLabel"))), 1)), sum(col("macs"))).first();
        long images = totals.getLong(0);
        long unreadable = totals.getLong(1);
        long predicted = images - unreadable;
        long labelled = totals.isNullAt(2) ? 0 : totals.getLong(2);
        long correct = totals.isNullAt(3) ? 0 : totals.getLong(3);
        long macs = totals.isNullAt(4) ? 0 : totals.getLong(4);

        int exits = job.cumulativeMacs().length;
        long[] exitCounts = new long[exits + 1];
        for (Row r : written.where(ok).groupBy("exit").count().collectAsList()) {
            exitCounts[r.getInt(0)] = r.getLong(1);
        }
        double[] exitFractions = new double[exits];
        for (int k = 0; k < exits; k++) {
            exitFractions[k] = predicted == 0 ? 0 : (double) exitCounts[k + 1] / predicted;
        }
        // input order: part files are numbered by partition, rows kept in order within each
        List<UnreadableRow> firstUnreadable = written.where(col("error").isNotNull())
                .orderBy(col("_metadata.file_name"), col("_metadata.row_index")).select("id", "error")
                .limit(FIRST_UNREADABLE).collectAsList().stream()
                .map(r -> new UnreadableRow(r.getString(0), r.getString(1))).toList();
        return new JobSummary(job.model(), job.input(), job.format(), job.output(), job.plan().description(), images,
                predicted, unreadable, firstUnreadable, labelled, labelled == 0 ? null : (double) correct / labelled,
                predicted == 0 ? null : (double) macs / predicted, job.cumulativeMacs(), exitCounts, exitFractions,
                job.plan().exitThresholds(), job.calibration(), partitions, seconds,
                seconds > 0 ? images / seconds : 0);
    }

    /** Writes {@value #JSON} and {@value #MARKDOWN} into the output folder, each to a temporary name first. */
    void write(Configuration hadoop) throws IOException {
        Path dir = new Path(output);
        FileSystem fs = dir.getFileSystem(hadoop);
        if (fs instanceof LocalFileSystem local) {
            fs = local.getRaw(); // no .crc files beside the reports
        }
        writeAtomically(fs, new Path(dir, JSON), Jsons.MAPPER.writeValueAsString(this) + "\n");
        writeAtomically(fs, new Path(dir, MARKDOWN), markdown());
    }

    private static void writeAtomically(FileSystem fs, Path target, String text) throws IOException {
        Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try (OutputStream out = fs.create(temp, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        fs.delete(target, false);
        if (!fs.rename(temp, target)) {
            throw new IOException(target + ": could not move the finished file into place");
        }
    }

    /** The report: totals, the exit histogram, the thresholds and the first unreadable rows. */
    public String markdown() {
        StringBuilder md = new StringBuilder("# Batch prediction: ").append(input).append("\n\n");
        md.append("Model `").append(model).append("`, ").append(rule).append(". Input: ").append(format)
                .append(". Predictions: `").append(output).append("` (Parquet, ").append(partitions)
                .append(" partitions).\n\n");
        double full = cumulativeMacs[cumulativeMacs.length - 1];
        md.append(MarkdownTable.render(List.of("Images", "Predicted", "Unreadable", "Accuracy", "Mean MMACs", "% of full"),
                List.of(List.of(Long.toString(images), Long.toString(predicted), Long.toString(unreadable),
                        accuracy == null ? "no labels" : percent(accuracy),
                        meanMacs == null ? "-" : mmacs(meanMacs), meanMacs == null ? "-" : f1(100 * meanMacs / full)))));
        md.append('\n');
        List<List<String>> rows = new ArrayList<>();
        if (exitCounts[0] > 0) {
            rows.add(List.of("none in time", "-", Long.toString(exitCounts[0]), percent((double) exitCounts[0] / predicted)));
        }
        for (int k = 0; k < exitFractions.length; k++) {
            rows.add(List.of(Integer.toString(k + 1), mmacs(cumulativeMacs[k]), Long.toString(exitCounts[k + 1]),
                    percent(exitFractions[k])));
        }
        md.append(MarkdownTable.render(List.of("Exit", "Cumulative MMACs", "Images", "Fraction"), rows)).append('\n');
        if (thresholds != null) {
            md.append("Thresholds (").append(thresholds.score().cliName()).append("): ")
                    .append(java.util.Arrays.toString(thresholds.thresholds())).append(".");
            if (calibration != null) {
                md.append(String.format(Locale.ROOT, " Calibrated on the driver on %s (%d images), q = %.3f, %s; there"
                        + " they gave %s at %s MMACs.", calibration.validation(), calibration.images(), calibration.q(),
                        calibration.choice(), percent(calibration.onValidationAccuracy()),
                        mmacs(calibration.onValidationMeanMacs())));
            }
            md.append("\n\n");
        }
        if (unreadable > 0) {
            md.append("Unreadable rows: ").append(unreadable).append(" (their output rows carry the error). The first ")
                    .append(firstUnreadable.size()).append(":\n\n");
            for (UnreadableRow r : firstUnreadable) {
                md.append("- `").append(r.id()).append("`: ").append(r.error()).append('\n');
            }
            md.append('\n');
        }
        md.append(String.format(Locale.ROOT, "Predicted and written in %.1f s (%.0f images/s).%n", seconds,
                imagesPerSecond));
        return md.toString();
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * fraction);
    }

    private static String mmacs(double macs) {
        return String.format(Locale.ROOT, "%.3f", macs / 1e6);
    }

    private static String f1(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
