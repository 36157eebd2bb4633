package dev.anytimenn.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.anytimenn.data.FashionMnist;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.data.SyntheticIdx;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.train.AnytimeTrainer;
import dev.anytimenn.train.TrainConfig;
import dev.anytimenn.train.TrainingData;
import dev.anytimenn.train.TrainingListener;
import dev.anytimenn.weighting.AdaLossOptions;
import dev.anytimenn.weighting.ConstWeighting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stopping rules on a small network trained for one epoch on generated data. */
class AnytimePredictorTest {

    @TempDir
    static Path temp;
    static NDManager manager;
    static AnytimeNetwork net;
    static Normalization norm;
    static ImageSet test;
    static AnytimePredictor predictor;

    @BeforeAll
    static void trainSmallNetwork() throws Exception {
        Path dir = SyntheticIdx.writeLearnable(temp.resolve("data"), 1500, 300, 5);
        ImageSet train = FashionMnist.train(dir);
        test = FashionMnist.test(dir);
        norm = Normalization.fit(train);
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(3);
        // n = 2, s = 2: heads after units 2, 4, 6, so units 1, 3 and 5 have none
        ModelConfig model = new ModelConfig("resann", 2, 8, 2, 10, new InputShape(1, 28, 28));
        net = Architectures.buildInitialized(model, manager);
        TrainConfig config = new TrainConfig(1, 50, 0.05, 0.9, false, 1e-4, "cosine", 0, 1, 0, 0, 0, false,
                "const", AdaLossOptions.DEFAULTS);
        try (AnytimeTrainer trainer = new AnytimeTrainer(net, manager, config, new ConstWeighting(3),
                TrainingListener.SILENT, null)) {
            trainer.fit(new TrainingData(train, train.slice(0, 0), norm));
        }
        predictor = new AnytimePredictor(net, norm, manager);
        predictor.warmUp(5);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static byte[] image(int i) {
        int size = 28 * 28;
        return Arrays.copyOfRange(test.pixels(), i * size, (i + 1) * size);
    }

    /** Softmax of every exit of the full forward, for one image: what each exit would answer. */
    private static float[][] exitProbabilities(byte[] pixels) {
        float[] lookup = norm.lookupTables()[0]; // one grey channel
        float[] input = new float[pixels.length];
        for (int p = 0; p < input.length; p++) {
            input[p] = lookup[pixels[p] & 0xff];
        }
        try (NDManager scope = manager.newSubManager()) {
            NDList logits = net.forward(new ParameterStore(manager, false),
                    new NDList(scope.create(input, net.config().input().batchShape(1))), false);
            float[][] out = new float[logits.size()][];
            for (int k = 0; k < out.length; k++) {
                out[k] = logits.get(k).softmax(1).toFloatArray();
            }
            return out;
        }
    }

    @Test
    void costBudgetPicksTheDeepestExitThatFits() {
        List<ExitCost> costs = predictor.exitCosts();
        long second = costs.get(1).cumulativeMacs();
        Prediction exact = predictor.predict(image(0), new StoppingRule.CostBudget(second));
        assertThat(exact.exit()).isEqualTo(2);
        assertThat(exact.macs()).isEqualTo(second);
        assertThat(exact.probabilities()).containsExactly(exitProbabilities(image(0))[1], within(1e-5f));

        assertThat(predictor.predict(image(0), new StoppingRule.CostBudget(second - 1)).exit()).isEqualTo(1);
        assertThat(predictor.predict(image(0), new StoppingRule.CostBudget(Long.MAX_VALUE)).exit()).isEqualTo(3);

        Prediction none = predictor.predict(image(0), new StoppingRule.CostBudget(costs.get(0).cumulativeMacs() - 1));
        assertThat(none.answered()).isFalse();
        assertThat(none.label()).isEqualTo(-1);
        assertThat(none.macs()).isZero();
    }

    @Test
    void deadlineAnswersComeFromAnExitThatWasReached() {
        Prediction none = predictor.predict(image(1), new StoppingRule.Deadline(0));
        assertThat(none.answered()).isFalse();
        assertThat(none.macs()).isZero();

        Prediction all = predictor.predict(image(1), StoppingRule.Deadline.ofMillis(10_000));
        assertThat(all.exit()).isEqualTo(3);

        // a deadline between the first and the last exit's expected latency
        double[] step = predictor.stepLatencyMs();
        double toFirst = step[0] + step[1];
        double total = Arrays.stream(step).sum();
        double millis = toFirst + (total - toFirst) / 3;
        long[] steps = net.stepMacs();
        for (int i = 0; i < 50; i++) {
            Prediction p = predictor.predict(image(i), StoppingRule.Deadline.ofMillis(millis));
            if (!p.answered()) {
                continue;
            }
            float[] reached = exitProbabilities(image(i))[p.exit() - 1];
            assertThat(p.probabilities()).containsExactly(reached, within(1e-5f));
            // the MACs spent cover the units up to the answering exit, and no unit past the next one
            long upToExit = predictor.exitCosts().get(p.exit() - 1).cumulativeMacs();
            long nextUnit = p.exit() < 3 ? steps[2 * p.exit()] : 0;
            assertThat(p.macs()).isBetween(upToExit, upToExit + nextUnit);
        }
    }

    @Test
    void confidenceStopsAtTheFirstExitThatPasses() {
        double inf = Double.POSITIVE_INFINITY;
        ExitThresholds never = new ExitThresholds(ConfidenceScore.MAX_SOFTMAX, new double[] {inf, inf, -inf});
        ExitThresholds always = new ExitThresholds(ConfidenceScore.MAX_SOFTMAX, new double[] {-inf, -inf, -inf});
        assertThat(predictor.predict(image(2), new StoppingRule.Confidence(never)).exit()).isEqualTo(3);
        Prediction first = predictor.predict(image(2), new StoppingRule.Confidence(always));
        assertThat(first.exit()).isEqualTo(1);
        assertThat(first.macs()).isEqualTo(predictor.exitCosts().get(0).cumulativeMacs());
    }

    @Test
    void perSampleBatchExitsMatchOneAtATimeRuns() {
        int n = 64;
        List<byte[]> images = new ArrayList<>();
        double[][] scores = new double[3][n];
        for (int i = 0; i < n; i++) {
            images.add(image(i));
            float[][] probabilities = exitProbabilities(image(i));
            for (int k = 0; k < 3; k++) {
                scores[k][i] = ConfidenceScore.MARGIN.score(probabilities[k]);
            }
        }
        // thresholds halfway between neighbouring scores, so tiny batch-vs-single differences in the
        // kernels cannot move a sample across one: about a third leave at each exit
        double t1 = between(scores[0], n / 3);
        double t2 = between(scores[1], n / 2);
        ExitThresholds thresholds = new ExitThresholds(ConfidenceScore.MARGIN,
                new double[] {t1, t2, Double.NEGATIVE_INFINITY});
        StoppingRule rule = new StoppingRule.Confidence(thresholds);

        List<Prediction> batch = predictor.predictBatch(images, rule);
        int[] perExit = new int[4];
        for (int i = 0; i < n; i++) {
            Prediction single = predictor.predict(images.get(i), rule);
            Prediction inBatch = batch.get(i);
            assertThat(inBatch.exit()).as("exit of sample " + i).isEqualTo(single.exit());
            assertThat(inBatch.label()).isEqualTo(single.label());
            assertThat(inBatch.macs()).isEqualTo(single.macs())
                    .isEqualTo(predictor.exitCosts().get(single.exit() - 1).cumulativeMacs());
            assertThat(inBatch.probabilities()).containsExactly(single.probabilities(), within(1e-4f));
            perExit[inBatch.exit()]++;
        }
        // the thresholds really split the batch, so samples did leave it early
        assertThat(perExit[1]).isPositive();
        assertThat(perExit[2]).isPositive();
        assertThat(perExit[3]).isPositive();
    }

    /** A value between the (rank)-th and (rank+1)-th largest scores. */
    private static double between(double[] scores, int rank) {
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        int i = sorted.length - rank;
        return (sorted[i - 1] + sorted[i]) / 2;
    }
}
