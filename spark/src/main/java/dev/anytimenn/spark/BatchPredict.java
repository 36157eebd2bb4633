package dev.anytimenn.spark;

import ai.djl.Device;
import dev.anytimenn.data.DataFormatException;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.MissingDataException;
import dev.anytimenn.engine.EngineFaultException;
import dev.anytimenn.eval.EvaluationProtocols;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.model.ExitCost;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Budgeted batch inference over a data set on Spark: {@code spark-submit --class dev.anytimenn.spark.BatchPredict
 * anytime-spark.jar --model M --input I --output O [--budget-macs N | --calibrated | --deadline-ms D]}, or
 * {@code ./anytime spark-predict ...} in {@code local[*]}.
 *
 * <p>On the driver: the model is opened and checked against the input, the stopping rule is decided (thresholds
 * calibrated on a validation set, as {@code eval --protocol budgeted} does, when asked), and the model file is
 * added to the job. Each partition opens it once and predicts its rows in batches (see
 * {@link PartitionPredictor}); the predictions are written as Parquet and summarised with Spark aggregations
 * ({@link JobSummary}).
 */
@Command(name = "spark-predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict every image of a data set on Spark with an anytime network under a MAC budget, "
                + "calibrated thresholds or a deadline (default: every unit), write the predictions as Parquet and a "
                + "summary (accuracy when labelled, mean MACs, exit histogram) beside them."})
public final class BatchPredict implements Callable<JobSummary> {

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "A model file (or a folder holding one), a run folder or a checkpoint, on the driver.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "Parquet (file or folder), a folder of PNG/JPEG files, or an IDX image file.")
    String input;

    @Option(names = "--output", required = true, paramLabel = "PATH",
            description = "Where the predictions go (a Parquet folder; the summary is written into it).")
    String output;

    @ArgGroup(exclusive = true)
    Rule rule = new Rule();

    static final class Rule {
        @Option(names = "--budget-macs", paramLabel = "MACS", description = "Deepest exit within this many MACs.")
        Long budgetMacs;

        @Option(names = "--calibrated", description = "First exit passing calibrated confidence thresholds: calibrated "
                + "here on --validation, else those stored in the model ('eval --protocol budgeted').")
        boolean calibrated;

        @Option(names = "--deadline-ms", paramLabel = "MS",
                description = "Latest exit reachable within MS ms per image (images then run one at a time).")
        Double deadlineMs;
    }

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "auto, parquet, folder or idx (default: ${DEFAULT-VALUE}: a .parquet file or a folder with "
                    + "one is parquet, another folder is an image folder, another file IDX).")
    String format = "auto";

    @Option(names = "--labels", paramLabel = "FILE", description = "IDX input: its labels file (default: the "
            + "labels-idx1 file beside an images-idx3 file, if there).")
    Path labels;

    @Option(names = "--image-column", paramLabel = "NAME", description = "Parquet input: the image column, bytes of "
            + "raw C x H x W pixels or of PNG/JPEG files (default: ${DEFAULT-VALUE}).")
    String imageColumn = "image";

    @Option(names = "--label-column", paramLabel = "NAME",
            description = "Parquet input: the integer label column, if any (default: ${DEFAULT-VALUE}).")
    String labelColumn = "label";

    @Option(names = "--id-column", paramLabel = "NAME",
            description = "Parquet input: the id column, if any (default: ${DEFAULT-VALUE}; else the row number).")
    String idColumn = "id";

    @Option(names = "--invert", description = "Invert PNG/JPEG images (dark objects on a light background).")
    boolean invert;

    @Option(names = "--validation", paramLabel = "PATH",
            description = "With --calibrated: labelled images (any input format) to calibrate the thresholds on, on "
                    + "the driver.")
    String validation;

    @Option(names = "--validation-labels", paramLabel = "FILE", description = "IDX --validation: its labels file.")
    Path validationLabels;

    @Option(names = "--validation-last", paramLabel = "N", description = "Calibrate on the last N images of "
            + "--validation only: the hold-out of a training file (train --val-size; 5000 by default).")
    int validationLast;

    @Option(names = "--score", paramLabel = "SCORE",
            description = "With --validation: max-softmax, entropy or margin (default: ${DEFAULT-VALUE}).")
    String score = "max-softmax";

    @Option(names = "--target-macs", paramLabel = "MACS", description = "With --validation: the most accurate "
            + "thresholds within this average cost (default: the cheapest within 0.3 points of the final exit).")
    Double targetMacs;

    @Option(names = "--batch-size", paramLabel = "N", description = "Images per predictor call (default: ${DEFAULT-VALUE}).")
    int batchSize = 256;

    @Option(names = "--partitions", paramLabel = "N", description = "Spread the input over N partitions (default: "
            + "Spark's default parallelism for IDX, the files' own split for Parquet and folders).")
    int partitions;

    @Option(names = "--threads", paramLabel = "N",
            description = "Engine threads per task (default: ${DEFAULT-VALUE}; Spark runs one task per core).")
    int threads = 1;

    @Option(names = "--overwrite", description = "Replace an existing output.")
    boolean overwrite;

    @Option(names = {"-v", "--verbose"}, description = "Stack traces of errors.")
    boolean verbose;

    /** Set by {@link #run}: the session to run on. */
    private SparkSession spark;

    public static void main(String[] args) {
        System.exit(execute(null, System.out, System.err, args));
    }

    /**
     * Runs the job on {@code spark} (null: a session of its own, {@code local[*]} unless {@code spark.master} is
     * set, as spark-submit sets it; stopped at the end), prints the summary and returns the exit code: expected
     * failures are one line on {@code err}.
     */
    public static int execute(SparkSession spark, PrintStream out, PrintStream err, String... args) {
        BatchPredict job = new BatchPredict();
        CommandLine cli = new CommandLine(job);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            Throwable reason = expected(e);
            String message = (reason == null ? e : reason).getMessage();
            line.getErr().println("error: " + (message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("")));
            if (job.verbose) {
                e.printStackTrace(line.getErr());
            } else if (reason == null) {
                line.getErr().println("(run with --verbose for details)");
            }
            line.getErr().flush();
            return 1;
        });
        boolean own = spark == null;
        job.spark = spark;
        try {
            int code = cli.execute(args);
            JobSummary summary = cli.getExecutionResult();
            if (code == 0 && summary != null) {
                out.print(summary.markdown());
                out.println("written to " + summary.output() + " (summary: " + JobSummary.MARKDOWN + ", "
                        + JobSummary.JSON + ")");
            }
            return code;
        } finally {
            if (own && job.spark != null) {
                job.spark.stop();
            }
        }
    }

    /** Runs the job with these arguments on {@code spark}; for tests and callers that want the summary. */
    public static JobSummary run(SparkSession spark, String... args) throws Exception {
        BatchPredict job = new BatchPredict();
        new CommandLine(job).parseArgs(args);
        job.spark = spark;
        return job.call();
    }

    @Override
    public JobSummary call() throws Exception {
        check();
        EngineSettings.prepare(threads);
        if (spark == null) {
            SparkSession.Builder builder = SparkSession.builder().appName("anytime-nn spark-predict");
            if (System.getProperty("spark.master") == null) {
                builder.master("local[*]");
            }
            spark = builder.getOrCreate();
        }
        try (AnytimeModel opened = AnytimeModel.open(model, Device.cpu())) {
            InputImages.Target target = new InputImages.Target(opened.inputShape(), opened.classNames(), invert);
            requireFreeOutput();
            InputImages images = InputImages.open(spark, new InputImages.Source(input, format, labels, imageColumn,
                    labelColumn, idColumn), target, partitions);
            JobSummary.Calibration calibration = null;
            StoppingPlan plan;
            if (rule.budgetMacs != null) {
                plan = StoppingPlan.budget(rule.budgetMacs);
            } else if (rule.deadlineMs != null) {
                plan = StoppingPlan.deadline(rule.deadlineMs);
            } else if (rule.calibrated && validation != null) {
                ImageSet set = InputImages.collect(spark, new InputImages.Source(validation, "auto", validationLabels,
                        imageColumn, labelColumn, idColumn), target, validationLast);
                var chosen = EvaluationProtocols.calibrate(opened, set, ConfidenceScore.parse(score), targetMacs);
                String where = validation + (validationLast > 0 ? " (last " + set.size() + ")" : "");
                calibration = new JobSummary.Calibration(where, set.size(), chosen.thresholds().score().cliName(),
                        chosen.q(), chosen.onValidation().accuracy(), chosen.onValidation().averageMacs(), chosen.choice());
                plan = StoppingPlan.calibrated(chosen.thresholds(), "calibrated on " + where);
            } else if (rule.calibrated) {
                plan = StoppingPlan.calibrated(opened.thresholds().orElseThrow(() -> new IllegalArgumentException(model
                        + ": no calibrated thresholds in the model; give --validation PATH to calibrate them on the "
                        + "driver, or store them with: anytime eval RUN_DIR --protocol budgeted")), "stored in the model file");
            } else {
                plan = StoppingPlan.runAll();
            }
            long[] costs = opened.exitCosts().stream().mapToLong(ExitCost::cumulativeMacs).toArray();
            JobSummary.Job job = new JobSummary.Job(model.toString(), input, images.format(), output, plan, calibration,
                    costs);
            return predict(opened, images, job);
        }
    }

    private JobSummary predict(AnytimeModel opened, InputImages images, JobSummary.Job job) throws IOException {
        Path shipped = Files.createTempDirectory("anytime-spark-model");
        try {
            // one file, whatever the model came from (run folder, checkpoint); a unique name per job, since a
            // session refuses a second file of the same name
            Path file = shipped.resolve("anytime-model-" + UUID.randomUUID() + ".safetensors");
            opened.export(file);
            spark.sparkContext().addFile(file.toString());
            Broadcast<StoppingPlan> plan = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(job.plan());
            long start = System.nanoTime();
            Dataset<Row> predictions = images.rows().mapPartitions(new PartitionPredictor(file.getFileName().toString(),
                    plan, images.images(), batchSize, threads), Encoders.row(PartitionPredictor.SCHEMA));
            int parts = predictions.rdd().getNumPartitions();
            predictions.write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).parquet(output);
            double seconds = (System.nanoTime() - start) / 1e9;
            JobSummary summary = JobSummary.of(job, spark.read().parquet(output), parts, seconds);
            summary.write(spark.sparkContext().hadoopConfiguration());
            return summary;
        } finally {
            try (Stream<Path> files = Files.walk(shipped)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void check() {
        if (!rule.calibrated && (validation != null || targetMacs != null || validationLast != 0)) {
            throw new IllegalArgumentException("--validation, --validation-last and --target-macs go with --calibrated");
        }
        if (validation == null && (targetMacs != null || validationLast != 0 || validationLabels != null)) {
            throw new IllegalArgumentException("--validation-last, --validation-labels and --target-macs need --validation");
        }
        if (batchSize < 1 || threads < 1 || partitions < 0 || validationLast < 0) {
            throw new IllegalArgumentException("--batch-size and --threads must be at least 1, --partitions and "
                    + "--validation-last at least 0");
        }
        ConfidenceScore.parse(score);
    }

    private void requireFreeOutput() throws IOException {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(output);
        FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!overwrite && fs.exists(path)) {
            throw new IOException(output + ": already exists (give --overwrite to replace it)");
        }
    }

    /** The exception that explains a failure in one line (also from inside a task), or null for a bug. */
    static Throwable expected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof IllegalArgumentException || t instanceof DataFormatException
                    || t instanceof MissingDataException || t instanceof EngineFaultException
                    || t instanceof AnalysisException) {
                return t;
            }
        }
        return null;
    }
}
