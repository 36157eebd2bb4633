package dev.anytimenn.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import ai.onnx.proto.OnnxMl;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.eval.ExitEvaluator;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.Architecture;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.ClassifierHead;
import dev.anytimenn.model.ConvStem;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.MacCounted;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.model.ModelTestSupport;
import dev.anytimenn.ort.OrtNetwork;
import dev.anytimenn.ort.OrtSettings;
import dev.anytimenn.ort.SegmentRun;
import dev.anytimenn.store.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exported graphs against the network itself: every exit's logits from ONNX Runtime (Java) match
 * DJL's to 1e-4 on a few hundred images, for every registered architecture, whether the whole graph or
 * the chain of segment graphs runs them.
 */
class OnnxExportTest {

    static final int IMAGES = 300;
    static final float TOLERANCE = 1e-4f;

    @TempDir
    Path temp;

    /** A small instance of every registered architecture, and a few shapes that exercise the odd cases. */
    static Stream<Arguments> networks() {
        Stream<Arguments> everyArchitecture = Architectures.all().stream().map(Architecture::name)
                .map(arch -> Arguments.of(new ModelConfig(arch, 1, 4, 1, 10, new InputShape(1, 28, 28))));
        return Stream.concat(everyArchitecture, Stream.of(
                // segments of two units; 3 channels of 30 px: 15 -> 8 through the ceil-mode shortcut pool
                Arguments.of(new ModelConfig("resann", 2, 4, 2, 10, new InputShape(3, 30, 30))),
                // transitions inside segments, 14 -> 7 -> 3 with floor pooling
                Arguments.of(new ModelConfig("densann", 2, 4, 2, 7, new InputShape(1, 28, 28))),
                // segments across the blocks that drop a scale
                Arguments.of(new ModelConfig("msdnet", 2, 3, 2, 10, new InputShape(1, 28, 28))),
                // a truncated network (an OPT baseline) exports as the front of the whole one
                Arguments.of(new ModelConfig("resann", 2, 4, 1, 10, new InputShape(1, 28, 28), 4))));
    }

    @ParameterizedTest
    @MethodSource("networks")
    void onnxRuntimeGivesDjlsLogitsAtEveryExit(ModelConfig config) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Seeded seeded = Seeded.of(config, manager, 21, 5);
            AnytimeNetwork net = seeded.net();
            Normalization norm = seeded.norm();
            NetworkGraphs graphs = seeded.graphs();
            ImageSet images = randomImages(config, IMAGES, 9);
            float[][] djl = djlLogits(net, manager, images, norm);
            float[][] whole = new float[graphs.exits()][];
            float[][] segments = new float[graphs.exits()][];
            try (OrtNetwork ort = OrtNetwork.open(graphs, OrtSettings.DEFAULT)) {
                float[] pixels = rawPixels(images);
                long[] shape = config.input().batchShape(images.size()).getShape();
                whole = ort.allExits(pixels, shape);
                try (SegmentRun run = ort.start(pixels, shape)) {
                    for (int k = 0; k < graphs.exits(); k++) {
                        segments[k] = run.next();
                    }
                    assertThat(run.hasNext()).isFalse();
                }
            }
            double worstWhole = 0;
            double worstChain = 0;
            double largest = 0;
            for (int k = 0; k < graphs.exits(); k++) {
                assertThat(whole[k]).hasSize(IMAGES * config.classes());
                worstWhole = Math.max(worstWhole, maxAbsDifference(whole[k], djl[k]));
                worstChain = Math.max(worstChain, maxAbsDifference(segments[k], whole[k]));
                largest = Math.max(largest, maxAbs(djl[k]));
            }
            System.out.printf(Locale.ROOT, "ONNX Runtime vs DJL, %s %s: max |whole - DJL| %.2e, max |segments - whole|"
                    + " %.2e over %d exits of %d images (largest |logit| %.1f)%n", config.arch(), config,
                    worstWhole, worstChain, graphs.exits(), IMAGES, largest);
            assertThat(largest).as("logits large enough to mean something").isGreaterThan(0.1);
            assertThat(worstWhole).as("whole graph against DJL").isLessThanOrEqualTo(TOLERANCE);
            assertThat(worstChain).as("segment chain against the whole graph").isLessThanOrEqualTo(TOLERANCE);
        }
    }

    /**
     * Batches of up to {@code OrtNetwork.PINNED_BATCHES} write into tensors made once per thread: each run must
     * see its own images (not the last run's), rows leaving must move the run off them, and a second run
     * started while the first holds them must get tensors of its own.
     */
    @ParameterizedTest
    @MethodSource("networks")
    void smallBatchesRunOnTensorsMadeOnceAndGiveTheWholeGraphsLogits(ModelConfig config) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NetworkGraphs graphs = Seeded.of(config, manager, 23, 6).graphs();
            ImageSet images = randomImages(config, 4, 11);
            int size = config.input().channels() * config.input().height() * config.input().width();
            int classes = config.classes();
            float[] pixels = rawPixels(images);
            try (OrtNetwork ort = OrtNetwork.open(graphs, OrtSettings.DEFAULT)) {
                float[][] whole = ort.allExits(pixels, config.input().batchShape(4).getShape());
                long[] one = config.input().batchShape(1).getShape();
                for (int round = 0; round < 2; round++) {
                    for (int i = 0; i < 4; i++) {
                        float[] image = Arrays.copyOfRange(pixels, i * size, (i + 1) * size);
                        try (SegmentRun run = ort.start(image, one)) {
                            assertThat(run.pinned()).isTrue();
                            for (int k = 0; k < graphs.exits(); k++) {
                                assertThat(maxAbsDifference(run.next(), row(whole[k], i, classes)))
                                        .as("image %d, exit %d, round %d", i, k + 1, round).isLessThanOrEqualTo(TOLERANCE);
                            }
                        }
                    }
                }
                // two images, the first leaves after exit 1; and meanwhile a run of its own on the same thread
                try (SegmentRun pair = ort.start(Arrays.copyOfRange(pixels, 0, 2 * size),
                        config.input().batchShape(2).getShape())) {
                    assertThat(pair.pinned()).isTrue();
                    float[] first = pair.next();
                    assertThat(maxAbsDifference(first, Arrays.copyOfRange(whole[0], 0, 2 * classes))).isLessThanOrEqualTo(TOLERANCE);
                    pair.keepRows(new long[] {1});
                    assertThat(pair.pinned()).as("its batch changed").isFalse();
                    try (SegmentRun other = ort.start(Arrays.copyOfRange(pixels, 2 * size, 4 * size),
                            config.input().batchShape(2).getShape());
                            SegmentRun beside = ort.start(Arrays.copyOfRange(pixels, 2 * size, 4 * size),
                                    config.input().batchShape(2).getShape())) {
                        assertThat(other.pinned()).as("given back by the run that left them").isTrue();
                        assertThat(beside.pinned()).as("taken by the run beside").isFalse();
                        for (int k = 0; k < graphs.exits(); k++) {
                            assertThat(maxAbsDifference(beside.next(), Arrays.copyOfRange(whole[k], 2 * classes, 4 * classes)))
                                    .as("the second run beside, exit %d", k + 1).isLessThanOrEqualTo(TOLERANCE);
                        }
                        for (int k = 0; k < graphs.exits(); k++) {
                            assertThat(maxAbsDifference(other.next(), Arrays.copyOfRange(whole[k], 2 * classes, 4 * classes)))
                                    .as("the run beside, exit %d", k + 1).isLessThanOrEqualTo(TOLERANCE);
                        }
                    }
                    for (int k = 1; k < graphs.exits(); k++) {
                        assertThat(maxAbsDifference(pair.next(), row(whole[k], 1, classes)))
                                .as("the row that stayed, exit %d", k + 1).isLessThanOrEqualTo(TOLERANCE);
                    }
                }
            }
        }
    }

    /** A seeded network of {@code config} with trained-looking batch norms, its input normalisation and its graphs. */
    record Seeded(AnytimeNetwork net, Normalization norm, NetworkGraphs graphs) {
        static Seeded of(ModelConfig config, NDManager manager, int seed, long batchNormSeed) {
            AnytimeNetwork net = ModelTestSupport.seeded(config, manager, seed);
            randomiseBatchNorms(net, batchNormSeed);
            Normalization norm = normalization(config.input().channels());
            return new Seeded(net, norm, NetworkGraphs.of(net, description(config, net, norm)));
        }
    }

    private static float[] row(float[] logits, int row, int classes) {
        return Arrays.copyOfRange(logits, row * classes, (row + 1) * classes);
    }

    @Test
    void filesNameTheirTensorsAndCarryTheDescription() throws Exception {
        ModelConfig config = new ModelConfig("msdnet", 1, 3, 1, 10, new InputShape(1, 28, 28));
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(config, manager, 3);
            ModelFile description = description(config, net, normalization(1));
            NetworkGraphs graphs = NetworkGraphs.of(net, description);
            List<Path> written = OnnxFiles.write(temp, graphs);
            assertThat(written).extracting(p -> p.getFileName().toString())
                    .containsExactly("anytime.onnx", "segment-1.onnx", "segment-2.onnx", "segment-3.onnx", "model.json");
            OnnxMl.ModelProto whole = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(temp.resolve("anytime.onnx")));
            assertThat(whole.getOpsetImport(0).getVersion()).isEqualTo(17);
            assertThat(whole.getGraph().getInputList()).extracting(OnnxMl.ValueInfoProto::getName)
                    .containsExactly("pixels");
            assertThat(whole.getGraph().getOutputList()).extracting(OnnxMl.ValueInfoProto::getName)
                    .containsExactly("logits_1", "logits_2", "logits_3");
            assertThat(metadata(whole, ModelFile.METADATA_KEY)).isEqualTo(graphs.descriptionJson());
            assertThat(Jsons.MAPPER.readValue(metadata(whole, ModelFile.METADATA_KEY), ModelFile.class))
                    .isEqualTo(description);
            // MSDNet leaves one feature map per scale: 3 after exit 1 (block 1 keeps all scales)
            OnnxMl.ModelProto second = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(temp.resolve("segment-2.onnx")));
            assertThat(second.getGraph().getInputList()).extracting(OnnxMl.ValueInfoProto::getName)
                    .containsExactly("features_1_0", "features_1_1", "features_1_2");
            assertThat(second.getGraph().getOutputList()).extracting(OnnxMl.ValueInfoProto::getName)
                    .containsExactly("logits_2", "features_2_0", "features_2_1");
            assertThat(metadata(second, NetworkGraphs.SEGMENT_KEY)).isEqualTo("2");
            // initializers carry the parameters' PyTorch-style names
            assertThat(whole.getGraph().getInitializerList()).extracting(OnnxMl.TensorProto::getName)
                    .contains("stem.conv.weight", "unit1.regular0.bottleneck.bn.running_var", "head3.linear.bias");
            var json = Jsons.MAPPER.readTree(temp.resolve("model.json").toFile());
            assertThat(json.path("architecture").asText()).isEqualTo("msdnet");
            assertThat(json.path("onnx").path("segments").get(2).path("outputs").toString())
                    .isEqualTo("[\"logits_3\"]");
            assertThat(json.path("onnx").path("input").path("shape").toString()).isEqualTo("[\"batch\",1,28,28]");
        }
    }

    /** A block with no ONNX form: the export names it instead of writing a wrong graph. */
    @Test
    void aBlockWithoutAnOnnxFormIsRefusedByName() {
        ModelConfig config = new ModelConfig("resann", 1, 4, 1, 10, new InputShape(1, 28, 28));
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = new AnytimeNetwork(config, new ConvStem(4, 3), List.of(new Doubling()),
                    List.of(new ClassifierHead(10)), new int[] {1});
            net.initialize(manager, DataType.FLOAT32, config.input().batchShape(1));
            ModelFile description = description(config, net, normalization(1));
            assertThatThrownBy(() -> NetworkGraphs.of(net, description))
                    .isInstanceOf(UnsupportedExportException.class)
                    .hasMessage("block Doubling at 'unit1' has no ONNX form here (blocks written: " + BlockWriter.KNOWN
                            + ")");
        }
    }

    /** Multiplies its input by 2: a unit the exporter has never heard of. */
    static final class Doubling extends AbstractBlock implements MacCounted {
        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return new NDList(inputs.singletonOrThrow().mul(2));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }

        @Override
        public long macs(Shape[] inputShapes) {
            return 1;
        }
    }

    static ModelFile description(ModelConfig config, AnytimeNetwork net, Normalization norm) {
        List<String> names = IntStream.range(0, config.classes()).mapToObj(i -> "class " + i).toList();
        return ModelFile.of(config, names, norm, net.exitCosts(), null);
    }

    static Normalization normalization(int channels) {
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = 0.3f + 0.1f * c;
            std[c] = 0.35f - 0.05f * c;
        }
        return new Normalization(mean, std);
    }

    /**
     * Batch norms as training leaves them rather than as initialised (mean 0, variance 1, scale 1, shift
     * 0), so that a graph that got any of the four wrong would show it.
     */
    static void randomiseBatchNorms(AnytimeNetwork net, long seed) {
        Random random = new Random(seed);
        for (Pair<String, Parameter> p : net.getParameters()) {
            NDArray array = p.getValue().getArray();
            String name = p.getKey();
            float[] values = new float[(int) array.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = name.endsWith("runningVar") ? 0.5f + random.nextFloat()
                        : name.endsWith("runningMean") ? 0.2f * (float) random.nextGaussian()
                        : name.endsWith("gamma") ? 0.6f + 0.8f * random.nextFloat()
                        : name.endsWith("beta") ? 0.1f * (float) random.nextGaussian() : Float.NaN;
            }
            if (!Float.isNaN(values.length == 0 ? 0 : values[0])) {
                array.set(values);
            }
        }
    }

    static ImageSet randomImages(ModelConfig config, int count, long seed) {
        InputShape s = config.input();
        byte[] pixels = new byte[count * s.channels() * s.height() * s.width()];
        new Random(seed).nextBytes(pixels);
        return new ImageSet(pixels, new int[count], s.channels(), s.height(), s.width(), config.classes());
    }

    static float[] rawPixels(ImageSet images) {
        float[] raw = new float[images.pixels().length];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = images.pixels()[i] & 0xff;
        }
        return raw;
    }

    /** Every exit's logits, [exit][sample * classes + class], from DJL's full forward. */
    static float[][] djlLogits(AnytimeNetwork net, NDManager manager, ImageSet images, Normalization norm) {
        List<List<float[]>> batches = new ArrayList<>();
        ExitEvaluator.forEachBatch(net, manager, images, norm, 100, (batch, logits, scope) -> {
            List<float[]> exits = new ArrayList<>();
            for (NDArray l : logits) {
                exits.add(l.toFloatArray());
            }
            batches.add(exits);
        });
        float[][] out = new float[net.headCount()][];
        for (int k = 0; k < out.length; k++) {
            int exit = k;
            out[k] = concat(batches.stream().map(b -> b.get(exit)).toList());
        }
        return out;
    }

    private static float[] concat(List<float[]> parts) {
        float[] all = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    static double maxAbsDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs((double) a[i] - b[i]));
        }
        return worst;
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static String metadata(OnnxMl.ModelProto model, String key) {
        return model.getMetadataPropsList().stream().filter(e -> e.getKey().equals(key))
                .map(OnnxMl.StringStringEntryProto::getValue).findFirst().orElseThrow();
    }
}
