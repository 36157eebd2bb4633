package dev.anytimenn.spark;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.when;

import dev.anytimenn.data.DataFormatException;
import dev.anytimenn.data.IdxArray;
import dev.anytimenn.data.IdxReader;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.model.InputShape;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The job's input as rows of {@link #SCHEMA} (id, image bytes, label or null), from one of three formats:
 * <ul>
 *   <li><b>parquet</b>: a Parquet file or folder with an image column (bytes: raw C x H x W pixels, or PNG/JPEG
 *       files; or a struct with a {@code bytes} field, as Hugging Face data sets store images), an optional
 *       integer label column and an optional id column (else the row number);</li>
 *   <li><b>folder</b>: every file under a folder (PNG/JPEG, read by Spark's {@code binaryFile} source); the id is
 *       the path, the label the index of the parent folder's name among the model's classes, if it is one;</li>
 *   <li><b>idx</b>: an IDX image file (N x H x W or N x C x H x W, gzipped or not) and its labels file, read on
 *       the driver (it is a single-file format) and broadcast; the id is the image's index.</li>
 * </ul>
 * Whether the model fits the images is checked here, on the driver, before any image is predicted.
 *
 * @param rows one row per image, in input order within each partition
 * @param images how to read each row's image bytes
 * @param format which of the three formats it was
 */
record InputImages(Dataset<Row> rows, RowImages images, String format) {

    static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("id", DataTypes.StringType, false),
        DataTypes.createStructField("image", DataTypes.BinaryType, true),
        DataTypes.createStructField("label", DataTypes.IntegerType, true)});

    static final List<String> FORMATS = List.of("auto", "parquet", "folder", "idx");

    /** How many rows are sampled on the driver to decide how a table's images are stored. */
    static final int SAMPLE_ROWS = 20;

    /** Where the input is and how to read it. */
    record Source(String path, String format, Path labels, String imageColumn, String labelColumn, String idColumn) {
        Source {
            format = format == null ? "auto" : format.toLowerCase(Locale.ROOT);
            if (!FORMATS.contains(format)) {
                throw new IllegalArgumentException("--format must be one of " + String.join(", ", FORMATS) + ", got '"
                        + format + "'");
            }
        }
    }

    /** What the images have to fit: the model's input and its classes. */
    record Target(InputShape shape, List<String> classNames, boolean invert) {}

    static InputImages open(SparkSession spark, Source source, Target target, int partitions) throws IOException,
            DataFormatException {
        String format = format(spark, source);
        return switch (format) {
            case "idx" -> idx(spark, source, target, partitions);
            case "parquet" -> parquet(spark, source, target, partitions);
            default -> folder(spark, source, target, partitions);
        };
    }

    /**
     * Every image and label of a source, on the driver: a validation set. Every row must be readable and
     * labelled.
     *
     * @param last when positive, only the last this many images (the hold-out of a training file)
     */
    static ImageSet collect(SparkSession spark, Source source, Target target, int last) throws IOException,
            DataFormatException {
        if ("idx".equals(format(spark, source))) {
            IdxImages idx = IdxImages.read(source, target);
            if (idx.labels() == null) {
                throw new IllegalArgumentException(source.path() + ": a validation set needs labels (no labels file; "
                        + "give it with --validation-labels)");
            }
            ImageSet all = new ImageSet(idx.pixels(), idx.labels(), target.shape().channels(), target.shape().height(),
                    target.shape().width(), target.classNames().size());
            return last > 0 ? all.slice(Math.max(0, all.size() - last), all.size()) : all;
        }
        InputImages input = open(spark, source, target, 0);
        List<Row> rows = input.rows().collectAsList();
        if (last > 0) {
            rows = rows.subList(Math.max(0, rows.size() - last), rows.size());
        }
        int size = target.shape().channels() * target.shape().height() * target.shape().width();
        byte[] pixels = new byte[Math.multiplyExact(rows.size(), size)];
        int[] labels = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            try {
                System.arraycopy(input.images().pixels(row), 0, pixels, i * size, size);
                Integer label = input.images().label(row);
                if (label == null) {
                    throw new RowImages.UnreadableRowException("no label (a validation set needs labels)");
                }
                labels[i] = label;
            } catch (RowImages.UnreadableRowException e) {
                throw new IllegalArgumentException(source.path() + ": validation row " + RowImages.id(row) + ": "
                        + e.getMessage());
            }
        }
        return new ImageSet(pixels, labels, target.shape().channels(), target.shape().height(), target.shape().width(),
                target.classNames().size());
    }

    private static String format(SparkSession spark, Source source) throws IOException {
        if (!source.format().equals("auto")) {
            return source.format();
        }
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(source.path());
        FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(path)) {
            throw new IOException(source.path() + ": no such file or folder");
        }
        if (fs.getFileStatus(path).isFile()) {
            return path.getName().endsWith(".parquet") ? "parquet" : "idx";
        }
        for (FileStatus child : fs.listStatus(path)) {
            if (child.isFile() && child.getPath().getName().endsWith(".parquet")) {
                return "parquet";
            }
        }
        return "folder";
    }

    private static InputImages idx(SparkSession spark, Source source, Target target, int partitions)
            throws IOException, DataFormatException {
        IdxImages idx = IdxImages.read(source, target);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<IdxImages> shipped = jsc.broadcast(idx);
        int slices = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
        Dataset<Row> rows = spark.range(0, idx.count(), 1, Math.max(1, Math.min(slices, idx.count())))
                .mapPartitions(new IdxRows(shipped), Encoders.row(SCHEMA));
        return new InputImages(rows, new RowImages(RowImages.Encoding.RAW, target.shape(), target.classNames().size(),
                target.invert()), "idx");
    }

    private static InputImages parquet(SparkSession spark, Source source, Target target, int partitions) {
        Dataset<Row> table = spark.read().parquet(source.path());
        StructType schema = table.schema();
        Column image = imageColumn(schema, source);
        Column label = lit(null).cast(DataTypes.IntegerType);
        if (has(schema, source.labelColumn())) {
            if (!(schema.apply(source.labelColumn()).dataType() instanceof IntegralType)) {
                throw new IllegalArgumentException(source.path() + ": label column '" + source.labelColumn() + "' is "
                        + schema.apply(source.labelColumn()).dataType().simpleString() + ", not an integer");
            }
            label = col(source.labelColumn()).cast(DataTypes.IntegerType);
        }
        Dataset<Row> rows;
        if (has(schema, source.idColumn())) {
            rows = table.select(coalesce(col(source.idColumn()).cast(DataTypes.StringType), lit("null")).as("id"),
                    image.as("image"), label.as("label"));
        } else {
            // the row number, counted over the files in order (one extra pass that reads no image data)
            Dataset<Row> columns = table.select(image.as("image"), label.as("label"));
            rows = spark.createDataFrame(columns.javaRDD().zipWithIndex()
                    .map(t -> RowFactory.create(Long.toString(t._2()), t._1().get(0), t._1().get(1))), SCHEMA);
        }
        rows = partitions > 0 ? rows.repartition(partitions) : rows;
        return new InputImages(rows, new RowImages(tableEncoding(source, rows, target), target.shape(),
                target.classNames().size(), target.invert()), "parquet");
    }

    private static Column imageColumn(StructType schema, Source source) {
        String name = source.imageColumn();
        if (!has(schema, name)) {
            throw new IllegalArgumentException(source.path() + ": no image column '" + name + "' (columns: "
                    + String.join(", ", schema.fieldNames()) + "; choose one with --image-column)");
        }
        var type = schema.apply(name).dataType();
        if (type instanceof BinaryType) {
            return col(name);
        }
        if (type instanceof StructType struct && has(struct, "bytes") && struct.apply("bytes").dataType() instanceof BinaryType) {
            return col(name).getField("bytes");
        }
        throw new IllegalArgumentException(source.path() + ": image column '" + name + "' is " + type.simpleString()
                + ", not binary (or a struct with binary 'bytes')");
    }

    /**
     * PNG/JPEG when every sampled image starts like one, else raw pixels; raw pixels of which no sampled image
     * has the model's input size mean the model does not fit the data, which fails here, on the driver.
     */
    private static RowImages.Encoding tableEncoding(Source source, Dataset<Row> rows, Target target) {
        List<Row> sample = rows.where(col("image").isNotNull()).limit(SAMPLE_ROWS).collectAsList();
        if (sample.isEmpty()) {
            return RowImages.Encoding.RAW; // nothing to read: every row is reported as unreadable
        }
        if (sample.stream().allMatch(r -> looksEncoded((byte[]) r.get(1)))) {
            return RowImages.Encoding.ENCODED;
        }
        int size = target.shape().channels() * target.shape().height() * target.shape().width();
        if (sample.stream().noneMatch(r -> ((byte[]) r.get(1)).length == size)) {
            Row first = sample.get(0);
            throw new IllegalArgumentException(source.path() + ": images of " + ((byte[]) first.get(1)).length
                    + " bytes (row " + first.getString(0) + ") do not fit the model's input " + target.shape()
                    + " = " + size + " bytes, nor are they PNG or JPEG files");
        }
        return RowImages.Encoding.RAW;
    }

    private static boolean looksEncoded(byte[] b) {
        boolean png = b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
        boolean jpeg = b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff;
        return png || jpeg;
    }

    private static InputImages folder(SparkSession spark, Source source, Target target, int partitions) {
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(source.path());
        Column parent = element_at(split(col("path"), "/"), -2);
        Column position = array_position(array(target.classNames().stream().map(name -> lit(name)).toArray(Column[]::new)), parent);
        Dataset<Row> rows = files.select(col("path").as("id"), col("content").as("image"),
                when(position.gt(0), position.minus(1)).cast(DataTypes.IntegerType).as("label"));
        rows = partitions > 0 ? rows.repartition(partitions) : rows;
        return new InputImages(rows, new RowImages(RowImages.Encoding.ENCODED, target.shape(),
                target.classNames().size(), target.invert()), "folder");
    }

    private static boolean has(StructType schema, String name) {
        return name != null && Arrays.asList(schema.fieldNames()).contains(name);
    }

    /**
     * An IDX image file and its labels, checked against the model.
     *
     * @param labels null when there is no labels file
     */
    record IdxImages(byte[] pixels, int[] labels, int count, int imageSize) implements Serializable {

        private static final long serialVersionUID = 1L;

        static IdxImages read(Source source, Target target) throws IOException, DataFormatException {
            Path file = Path.of(source.path());
            IdxArray images = IdxReader.read(file);
            int[] dims = images.dims();
            InputShape shape = target.shape();
            InputShape found = switch (dims.length) {
                case 3 -> new InputShape(1, dims[1], dims[2]);
                case 4 -> new InputShape(dims[1], dims[2], dims[3]);
                default -> throw new DataFormatException(file, "holds " + dims.length
                        + "-dimensional data, not images (N x H x W or N x C x H x W)");
            };
            if (!found.equals(shape)) {
                throw new IllegalArgumentException(file + ": images are " + found + ", the model takes " + shape);
            }
            Path labelsFile = source.labels() != null ? source.labels() : labelsBeside(file);
            int[] labels = labelsFile == null ? null : labels(labelsFile, file, dims[0], target.classNames().size());
            return new IdxImages(images.data(), labels, dims[0], shape.channels() * shape.height() * shape.width());
        }

        /** The usual name of the labels file beside an images file (t10k-images-idx3 -> t10k-labels-idx1), if there. */
        static Path labelsBeside(Path images) {
            String name = images.getFileName().toString();
            if (!name.contains("images-idx3")) {
                return null;
            }
            Path labels = images.resolveSibling(name.replace("images-idx3", "labels-idx1"));
            return Files.isRegularFile(labels) ? labels : null;
        }

        private static int[] labels(Path file, Path images, int count, int classes) throws IOException,
                DataFormatException {
            IdxArray array = IdxReader.read(file);
            if (array.dims().length != 1 || array.dims()[0] != count) {
                throw new DataFormatException(file, "expected " + count + " labels (one per image of " + images
                        + "), found dimensions " + Arrays.toString(array.dims()));
            }
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = array.data()[i] & 0xff;
                if (labels[i] >= classes) {
                    throw new DataFormatException(file, "label " + labels[i] + " at index " + i + " is outside [0, "
                            + classes + ") (the model's classes)");
                }
            }
            return labels;
        }

        byte[] image(int i) {
            return Arrays.copyOfRange(pixels, i * imageSize, (i + 1) * imageSize);
        }
    }

    /** The rows of a range of image indices, from the broadcast IDX data. */
    private static final class IdxRows implements MapPartitionsFunction<Long, Row> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<IdxImages> data;

        IdxRows(Broadcast<IdxImages> data) {
            this.data = data;
        }

        @Override
        public Iterator<Row> call(Iterator<Long> indices) {
            IdxImages idx = data.value();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return indices.hasNext();
                }

                @Override
                public Row next() {
                    long i = indices.next();
                    int n = Math.toIntExact(i);
                    return RowFactory.create(Long.toString(i), idx.image(n), idx.labels() == null ? null : idx.labels()[n]);
                }
            };
        }
    }
}
