package dev.anytimenn.spark;

import ai.djl.Device;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.AnytimePredictor;
import dev.anytimenn.infer.Prediction;
import dev.anytimenn.infer.StoppingRule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.TaskCompletionListener;

/**
 * One partition's predictions: opens the model shipped with the job once, then runs the library's batched
 * predictor (per-sample exits) over the partition's rows, batch by batch, as Spark pulls them. A row that
 * cannot be read becomes an output row with its {@code error} and no prediction; the others go on.
 */
final class PartitionPredictor implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    /**
     * One row per input row, in input order: the predicted {@code label} (-1 when no exit was reached before
     * the deadline), the 1-based {@code exit} that answered (0: none), the {@code macs} spent, that exit's class
     * {@code probabilities}, the input's {@code trueLabel} (null when it has none) and, for a row that could not
     * be read, the {@code error} (then label, exit, macs and probabilities are null).
     */
    static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("id", DataTypes.StringType, false),
        DataTypes.createStructField("label", DataTypes.IntegerType, true),
        DataTypes.createStructField("exit", DataTypes.IntegerType, true),
        DataTypes.createStructField("macs", DataTypes.LongType, true),
        DataTypes.createStructField("probabilities", DataTypes.createArrayType(DataTypes.FloatType, false), true),
        DataTypes.createStructField("trueLabel", DataTypes.IntegerType, true),
        DataTypes.createStructField("error", DataTypes.StringType, true)});

    private final String modelFile;
    private final Broadcast<StoppingPlan> plan;
    private final RowImages images;
    private final int batchSize;
    private final int threads;

    /**
     * @param modelFile the name under which the model file was added to the job ({@code SparkContext.addFile})
     */
    PartitionPredictor(String modelFile, Broadcast<StoppingPlan> plan, RowImages images, int batchSize, int threads) {
        this.modelFile = modelFile;
        this.plan = plan;
        this.images = images;
        this.batchSize = batchSize;
        this.threads = threads;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws IOException {
        if (!rows.hasNext()) {
            return rows; // an empty partition opens no model
        }
        EngineSettings.prepare(threads);
        AnytimeModel model = AnytimeModel.open(Path.of(SparkFiles.get(modelFile)), Device.cpu());
        Batches batches = new Batches(rows, model, plan.value());
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) context -> batches.close());
        }
        return batches;
    }

    /** Pulls a batch of input rows when the last one's outputs are used up; closes the model at the end. */
    private final class Batches implements Iterator<Row> {
        private final Iterator<Row> input;
        private final AnytimeModel model;
        private final AnytimePredictor predictor;
        private final StoppingRule rule;
        private final int batch;
        private final ArrayDeque<Row> ready = new ArrayDeque<>();
        private boolean closed;

        Batches(Iterator<Row> input, AnytimeModel model, StoppingPlan plan) {
            this.input = input;
            this.model = model;
            this.predictor = model.predictor();
            this.rule = plan.rule();
            this.batch = plan.oneImageAtATime() ? 1 : batchSize;
        }

        @Override
        public boolean hasNext() {
            if (ready.isEmpty() && input.hasNext()) {
                predictNextBatch();
            }
            if (ready.isEmpty()) {
                close();
                return false;
            }
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        private void predictNextBatch() {
            List<Row> rows = new ArrayList<>(batch);
            List<byte[]> pixels = new ArrayList<>(batch);
            Row[] out = new Row[batch];
            int[] position = new int[batch];
            while (rows.size() < batch && input.hasNext()) {
                Row row = input.next();
                try {
                    byte[] image = images.pixels(row);
                    images.label(row);
                    position[pixels.size()] = rows.size();
                    pixels.add(image);
                } catch (RowImages.UnreadableRowException e) {
                    out[rows.size()] = RowFactory.create(RowImages.id(row), null, null, null, null, null, e.getMessage());
                }
                rows.add(row);
            }
            List<Prediction> predictions = predictor.predictBatch(pixels, rule);
            for (int i = 0; i < predictions.size(); i++) {
                Prediction p = predictions.get(i);
                Row row = rows.get(position[i]);
                out[position[i]] = RowFactory.create(RowImages.id(row), p.label(), p.exit(), p.macs(),
                        p.probabilities(), row.isNullAt(2) ? null : row.getInt(2), null);
            }
            for (int i = 0; i < rows.size(); i++) {
                ready.add(out[i]);
            }
        }

        synchronized void close() {
            if (!closed) {
                closed = true;
                model.close();
            }
        }
    }
}
