package dev.anytimenn.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import dev.anytimenn.weighting.ConstWeighting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
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
                "const");
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

    /** A clock that moves on by {@code tick} nanoseconds every time it is read. */
    static final class TickingClock implements LongSupplier {
        long now;
        long tick;

        TickingClock(long tick) {
            this.tick = tick;
        }

        @Override
        public long getAsLong() {
            now += tick;
            return now;
        }
    }

    static final long TICK = 100_000; // 0.1 ms

    /** A predictor of its own on the shared network, timed by {@code clock}. */
    private static AnytimePredictor clocked(LongSupplier clock) {
        AnytimePredictor p = new AnytimePredictor(net, norm, manager);
        p.useClock(clock);
        return p;
    }

    @Test
    void deadlineAnswersComeFromAnExitThatWasReached() {
        Prediction none = predictor.predict(image(1), new StoppingRule.Deadline(0));
        assertThat(none.answered()).isFalse();
        assertThat(none.macs()).isZero();

        Prediction all = predictor.predict(image(1), StoppingRule.Deadline.ofMillis(10_000));
        assertThat(all.exit()).isEqualTo(3);
    }

    /**
     * With a clock that ticks once before and once after each step, every step measures one tick, and
     * before 0-based unit u the call has taken 2u + 1 ticks. Units 1, 3 and 5 have heads, so the checks
     * before units 0..5 expect 3, 4, 7, 8, 11 and 12 ticks: a deadline of 6 ticks gets exactly exit 1,
     * 10 ticks exit 2, 12 ticks exit 3, and 3.5 ticks only unit 0 and no exit.
     */
    @Test
    void aDeadlineGetsTheExitItsEstimateAllows() {
        AnytimePredictor timed = clocked(new TickingClock(TICK));
        long[] steps = net.stepMacs();
        int[] expected = {1, 2, 3};
        double[] ticks = {6, 10, 12};
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < 10; i++) {
                Prediction p = timed.predict(image(i), new StoppingRule.Deadline(Math.round(ticks[k] * TICK)));
                assertThat(p.exit()).as("image %d, deadline of %s ticks", i, ticks[k]).isEqualTo(expected[k]);
                assertThat(p.probabilities()).containsExactly(exitProbabilities(image(i))[p.exit() - 1],
                        within(1e-5f));
                assertThat(p.macs()).isEqualTo(timed.exitCosts().get(p.exit() - 1).cumulativeMacs());
            }
        }
        Prediction cut = timed.predict(image(0), new StoppingRule.Deadline(Math.round(3.5 * TICK)));
        assertThat(cut.answered()).isFalse();
        assertThat(cut.macs()).isEqualTo(steps[0]);
        // a deadline too short for exit 1 keeps an estimate that outliers do not hold up
        assertThat(timed.stepLatencyMs()).containsOnly(TICK / 1e6);
    }

    @Test
    void coldFirstStepsDoNotStarveADeadline() {
        TickingClock clock = new TickingClock(500 * TICK); // the first runs take 50 ms a step
        AnytimePredictor timed = clocked(clock);
        timed.warmUp(StepLatencies.COLD);
        clock.tick = TICK;
        // the warm-up the deadline asks for measures warm steps only: a deadline exit 1 fits in gets it
        assertThat(timed.predict(image(0), new StoppingRule.Deadline(6 * TICK)).exit()).isEqualTo(1);
    }

    @Test
    void theWarmUpLeavesOutTheTimesOfAPredictorsFirstRuns() {
        // a clock that runs slow for its first reads, as a process's first runs do (compilation, first allocations)
        int slowReads = 10 * readsPerRun();
        long[] now = {0};
        int[] reads = {0};
        AnytimePredictor timed = clocked(() -> now[0] += reads[0]++ < slowReads ? 500 * TICK : TICK);
        timed.warmUpIfCold();
        assertThat(reads[0]).as("the slow reads were all spent in the warm-up").isGreaterThan(slowReads);
        assertThat(timed.predict(image(0), new StoppingRule.Deadline(6 * TICK)).exit()).isEqualTo(1);
    }

    /** How often one run of the whole network reads the clock. */
    private static int readsPerRun() {
        int[] reads = {0};
        AnytimePredictor counted = clocked(() -> ++reads[0] * TICK);
        counted.predict(image(0), new StoppingRule.RunAll());
        int first = reads[0];
        counted.predict(image(0), new StoppingRule.RunAll());
        return reads[0] - first;
    }

    @Test
    void theEstimateRecoversFromOutliers() {
        TickingClock clock = new TickingClock(TICK);
        AnytimePredictor timed = clocked(clock);
        timed.warmUp(AnytimePredictor.WARM_UP_RUNS);
        // one slow run among many: the estimate does not move
        slowRuns(clock, timed, 1);
        assertThat(timed.predict(image(0), new StoppingRule.Deadline(6 * TICK)).exit()).isEqualTo(1);
        // a burst longer than a quarter of the window holds the estimate up for one call, which finds
        // no exit in time; the next call measures afresh and gets its exit again
        slowRuns(clock, timed, StepLatencies.WINDOW / 4 + 1);
        assertThat(timed.predict(image(0), new StoppingRule.Deadline(6 * TICK)).answered()).isFalse();
        assertThat(timed.predict(image(0), new StoppingRule.Deadline(6 * TICK)).exit()).isEqualTo(1);
    }

    /** Runs the whole network {@code runs} times with every step taking 500 ticks, then ticks as before. */
    private static void slowRuns(TickingClock clock, AnytimePredictor timed, int runs) {
        long tick = clock.tick;
        clock.tick = 500 * TICK;
        for (int i = 0; i < runs; i++) {
            timed.predict(image(0), new StoppingRule.RunAll());
        }
        clock.tick = tick;
    }

    /**
     * A warm predictor on {@code clock} after a slow spell that fills the whole window: no faster measurement
     * is left to call its estimate an outlier.
     */
    private static AnytimePredictor heldUpBySlowSpell(TickingClock clock) {
        AnytimePredictor timed = clocked(clock);
        timed.warmUp(AnytimePredictor.WARM_UP_RUNS);
        slowRuns(clock, timed, StepLatencies.WINDOW + StepLatencies.COLD);
        return timed;
    }

    @Test
    void anEstimateThatHasLetNothingRunForAWhileIsMeasuredAfresh() {
        TickingClock clock = new TickingClock(TICK);
        AnytimePredictor timed = heldUpBySlowSpell(clock);
        StoppingRule exitOneFits = new StoppingRule.Deadline(6 * TICK);
        assertThat(timed.predict(image(0), exitOneFits).answered()).as("refused by the slow estimate").isFalse();
        assertThat(timed.predict(image(0), exitOneFits).answered()).as("a step ran a moment ago: it stands").isFalse();

        clock.now += AnytimePredictor.STALE_NANOS; // time passes and nothing runs
        assertThat(timed.predict(image(0), exitOneFits).answered()).as("still refused, but now dropped").isFalse();
        assertThat(timed.predict(image(0), exitOneFits).exit()).as("measured afresh").isEqualTo(1);
    }

    @Test
    void aSingleImageEstimateHeldUpWhileBatchesRunIsMeasuredAfresh() {
        TickingClock clock = new TickingClock(TICK);
        AnytimePredictor timed = heldUpBySlowSpell(clock);
        StoppingRule exitOneFits = new StoppingRule.Deadline(6 * TICK);
        assertThat(timed.predict(image(0), exitOneFits).answered()).as("refused by the slow estimate").isFalse();
        // batches of two run all the while (a server's requests that arrive together), none of one
        long until = clock.now + AnytimePredictor.STALE_NANOS;
        while (clock.now <= until) {
            timed.predictBatch(List.of(image(1), image(2)), new StoppingRule.RunAll());
            clock.now += AnytimePredictor.STALE_NANOS / 10;
        }
        assertThat(timed.predict(image(0), exitOneFits).answered()).as("still refused, but now dropped").isFalse();
        assertThat(timed.predict(image(0), exitOneFits).exit()).as("measured afresh").isEqualTo(1);
    }

    @Test
    void aNegativeDeadlineIsRefusedInMilliseconds() {
        assertThatThrownBy(() -> StoppingRule.Deadline.ofMillis(-5))
                .hasMessage("a deadline cannot be negative, got -5 ms");
        assertThatThrownBy(() -> StoppingRule.Deadline.ofMillis(-0.25))
                .hasMessage("a deadline cannot be negative, got -0.25 ms");
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
