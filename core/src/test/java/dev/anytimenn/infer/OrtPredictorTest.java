package dev.anytimenn.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.model.ModelTestSupport;
import dev.anytimenn.ort.OrtSettings;
import dev.anytimenn.store.ModelFile;
import dev.anytimenn.store.ModelStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every stopping rule with the ONNX Runtime engine, against the DJL predictor on the same model. */
class OrtPredictorTest {

    @TempDir
    static Path temp;
    static AnytimeModel model;
    static AnytimePredictor djl;
    static AnytimePredictor ort;
    static final int IMAGES = 64;
    static final List<byte[]> images = new ArrayList<>();

    @BeforeAll
    static void openModel() throws Exception {
        // n = 2, s = 2: heads after units 2, 4, 6, so every ONNX Runtime step (segment) spans two units
        ModelConfig config = new ModelConfig("resann", 2, 4, 2, 10, new InputShape(1, 28, 28));
        Path file = temp.resolve("model.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(config, manager, 8);
            Random random = new Random(4);
            for (Pair<String, Parameter> p : net.getParameters()) {
                // batch-norm statistics as after training, so that the exits disagree with one another
                if (p.getKey().endsWith("runningVar") || p.getKey().endsWith("gamma")) {
                    NDArray a = p.getValue().getArray();
                    float[] v = new float[(int) a.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = 0.5f + random.nextFloat();
                    }
                    a.set(v);
                }
            }
            List<String> names = IntStream.range(0, 10).mapToObj(Integer::toString).toList();
            ModelStore.write(file, ModelFile.of(config, names, Normalization.singleChannel(0.3f, 0.35f),
                    net.exitCosts(), null), net);
        }
        model = AnytimeModel.open(file, Device.cpu());
        djl = model.predictor(InferenceEngine.DJL);
        ort = model.predictor(InferenceEngine.ONNXRUNTIME);
        Random random = new Random(6);
        for (int i = 0; i < IMAGES; i++) {
            byte[] pixels = new byte[28 * 28];
            random.nextBytes(pixels);
            images.add(pixels);
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void everyExitAnswersAsDjlDoes() {
        long[] budgets = model.exitCosts().stream().mapToLong(e -> e.cumulativeMacs()).toArray();
        for (int k = 0; k < budgets.length; k++) {
            StoppingRule rule = new StoppingRule.CostBudget(budgets[k]);
            List<Prediction> fromOrt = ort.predictBatch(images, rule);
            List<Prediction> fromDjl = djl.predictBatch(images, rule);
            for (int i = 0; i < IMAGES; i++) {
                assertThat(fromOrt.get(i).exit()).isEqualTo(k + 1).isEqualTo(fromDjl.get(i).exit());
                assertThat(fromOrt.get(i).macs()).isEqualTo(budgets[k]);
                assertThat(fromOrt.get(i).probabilities()).containsExactly(fromDjl.get(i).probabilities(),
                        within(1e-4f));
            }
        }
        Prediction none = ort.predict(images.get(0), new StoppingRule.CostBudget(budgets[0] - 1));
        assertThat(none.answered()).isFalse();
        assertThat(none.macs()).isZero();
        assertThat(ort.predict(images.get(0), new StoppingRule.RunAll()).exit()).isEqualTo(3);
    }

    /** Thresholds halfway between scores, so that a sample's exit does not hang on the last bit of a logit. */
    @Test
    void confidenceLetsSamplesLeaveTheBatchAsDjlDoes() {
        double[][] scores = new double[2][IMAGES];
        List<Prediction> all = djl.predictBatch(images, new StoppingRule.CostBudget(Long.MAX_VALUE));
        for (int k = 0; k < 2; k++) {
            List<Prediction> atExit = djl.predictBatch(images, new StoppingRule.CostBudget(
                    model.exitCosts().get(k).cumulativeMacs()));
            for (int i = 0; i < IMAGES; i++) {
                scores[k][i] = ConfidenceScore.MARGIN.score(atExit.get(i).probabilities());
            }
        }
        assertThat(all).hasSize(IMAGES);
        StoppingRule rule = new StoppingRule.Confidence(new ExitThresholds(ConfidenceScore.MARGIN,
                new double[] {between(scores[0], IMAGES / 3), between(scores[1], IMAGES / 2), Double.NEGATIVE_INFINITY}));
        List<Prediction> batch = ort.predictBatch(images, rule);
        List<Prediction> fromDjl = djl.predictBatch(images, rule);
        int[] perExit = new int[4];
        for (int i = 0; i < IMAGES; i++) {
            Prediction single = ort.predict(images.get(i), rule);
            assertThat(batch.get(i).exit()).as("sample %d", i).isEqualTo(single.exit())
                    .isEqualTo(fromDjl.get(i).exit());
            assertThat(batch.get(i).probabilities()).containsExactly(single.probabilities(), within(1e-5f));
            assertThat(batch.get(i).macs()).isEqualTo(model.exitCosts().get(single.exit() - 1).cumulativeMacs());
            perExit[single.exit()]++;
        }
        assertThat(perExit[1]).isPositive();
        assertThat(perExit[2]).isPositive();
        assertThat(perExit[3]).isPositive();
    }

    /**
     * A clock that moves one tick per reading: each segment measures one tick and before 0-based
     * segment j the call has taken 2j + 1 ticks, so a deadline of 2, 4 or 6 ticks gets exit 1, 2 or 3.
     */
    @Test
    void aDeadlineStopsBetweenSegments() {
        AnytimePredictor timed = model.predictor(InferenceEngine.ONNXRUNTIME);
        AnytimePredictorTest.TickingClock clock = new AnytimePredictorTest.TickingClock(AnytimePredictorTest.TICK);
        timed.useClock(clock);
        long tick = AnytimePredictorTest.TICK;
        for (int k = 1; k <= 3; k++) {
            Prediction p = timed.predict(images.get(k), new StoppingRule.Deadline(2 * k * tick));
            assertThat(p.exit()).isEqualTo(k);
            assertThat(p.macs()).isEqualTo(model.exitCosts().get(k - 1).cumulativeMacs());
        }
        assertThat(timed.predict(images.get(0), new StoppingRule.Deadline(tick + tick / 2)).answered()).isFalse();
        assertThat(timed.stepLatencyMs()).hasSize(3).containsOnly(tick / 1e6);
    }

    @Test
    void engineSettingsAreCheckedAndEachGetsItsSessions() {
        assertThatThrownBy(() -> InferenceEngine.parse("tensorflow", 1, "all"))
                .hasMessage("unknown engine 'tensorflow'; choose djl or onnxruntime");
        assertThatThrownBy(() -> InferenceEngine.parse("onnxruntime", 1, "max"))
                .hasMessage("unknown graph optimisation level 'max'; choose one of: none, basic, extended, all");
        assertThatThrownBy(() -> InferenceEngine.parse("onnxruntime", 0, "all"))
                .hasMessage("ONNX Runtime needs at least 1 thread, got 0");
        InferenceEngine unoptimised = InferenceEngine.parse("onnxruntime", 2, "none");
        assertThat(unoptimised).isEqualTo(new InferenceEngine.OnnxRuntime(new OrtSettings(2,
                OrtSettings.Optimization.NONE)));
        // the graph as written gives what the optimised one gives
        Prediction plain = model.predictor(unoptimised).predict(images.get(5), new StoppingRule.RunAll());
        Prediction optimised = ort.predict(images.get(5), new StoppingRule.RunAll());
        assertThat(plain.probabilities()).containsExactly(optimised.probabilities(), within(1e-5f));
    }

    private static double between(double[] scores, int rank) {
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        int i = sorted.length - rank;
        return (sorted[i - 1] + sorted[i]) / 2;
    }
}
