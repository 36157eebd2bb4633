package dev.anytimenn.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.model.ModelTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A batch whose rows each stop by their own policy (what a server batching requests needs). */
class RowwiseRunTest {

    static NDManager manager;
    static AnytimePredictor predictor;
    static List<ExitCost> exits;

    @BeforeAll
    static void network() {
        manager = NDManager.newBaseManager();
        // n = 2, s = 1: six units, an exit after each
        AnytimeNetwork net = ModelTestSupport.seeded(ModelTestSupport.resann(2, 4, 1), manager, 5);
        predictor = new AnytimePredictor(net, Normalization.singleChannel(0.3f, 0.3f), manager);
        exits = predictor.exitCosts();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static byte[] image(int seed) {
        byte[] pixels = new byte[28 * 28];
        new Random(seed).nextBytes(pixels);
        return pixels;
    }

    private static StoppingPolicy budgetFor(int exit) {
        return new StoppingRule.CostBudget(exits.get(exit - 1).cumulativeMacs()).start(exits.size(), 0);
    }

    /** Records what the listener hears: (row, exit) of every exit reached, and each final answer. */
    static class Heard implements RowListener {
        final List<int[]> reached = new ArrayList<>();
        final List<int[]> answered = new ArrayList<>();

        @Override
        public synchronized void reachedExit(int row, Prediction atExit) {
            reached.add(new int[] {row, atExit.exit()});
        }

        @Override
        public synchronized void answered(int row, Prediction answer) {
            answered.add(new int[] {row, answer.exit()});
        }
    }

    @Test
    void eachRowLeavesAtItsOwnExitWithWhatItWouldGetAlone() {
        int[] wanted = {3, 1, 6, 2};
        List<byte[]> images = new ArrayList<>();
        List<StoppingPolicy> policies = new ArrayList<>();
        for (int i = 0; i < wanted.length; i++) {
            images.add(image(i));
            policies.add(budgetFor(wanted[i]));
        }
        Heard heard = new Heard();
        List<Prediction> got = predictor.runRows(images, policies, heard);

        for (int i = 0; i < wanted.length; i++) {
            Prediction alone = predictor.predict(images.get(i),
                    new StoppingRule.CostBudget(exits.get(wanted[i] - 1).cumulativeMacs()));
            assertThat(got.get(i).exit()).isEqualTo(wanted[i]).isEqualTo(alone.exit());
            assertThat(got.get(i).macs()).isEqualTo(alone.macs()).isEqualTo(exits.get(wanted[i] - 1).cumulativeMacs());
            assertThat(got.get(i).label()).isEqualTo(alone.label());
            for (int c = 0; c < 10; c++) {
                assertThat(got.get(i).probabilities()[c]).isCloseTo(alone.probabilities()[c], within(1e-5f));
            }
        }
        // every exit a row reached is heard once, in order, and the answer is heard once, at its exit
        for (int i = 0; i < wanted.length; i++) {
            int row = i;
            assertThat(heard.reached.stream().filter(e -> e[0] == row).mapToInt(e -> e[1]).toArray())
                    .containsExactly(java.util.stream.IntStream.rangeClosed(1, wanted[i]).toArray());
            assertThat(heard.answered.stream().filter(e -> e[0] == row).mapToInt(e -> e[1]).toArray())
                    .containsExactly(wanted[i]);
        }
        // the earliest leaver is answered first: a row is told as soon as it leaves, not at the batch's end
        assertThat(heard.answered.get(0)).containsExactly(1, 1);
    }

    @Test
    void aRowRefusedBeforeTheFirstExitGetsNoneAndARowStoppedMidwayKeepsItsLatestExit() {
        AtomicBoolean cancelled = new AtomicBoolean();
        StoppingPolicy refused = new StoppingRule.CostBudget(exits.get(0).cumulativeMacs() - 1).start(exits.size(), 0);
        StoppingPolicy cancellable = new StoppingRule.Policy() {
            @Override
            public boolean mayRun(long macs, double expectedNanos, long nowNanos) {
                return !cancelled.get();
            }
        };
        Heard heard = new Heard() {
            @Override
            public synchronized void reachedExit(int row, Prediction atExit) {
                super.reachedExit(row, atExit);
                if (row == 1 && atExit.exit() == 2) {
                    cancelled.set(true); // as a client that hangs up after the second exit's event
                }
            }
        };
        List<Prediction> got = predictor.runRows(List.of(image(7), image(8), image(9)),
                List.of(refused, cancellable, new StoppingRule.RunAll().start(exits.size(), 0)), heard);

        assertThat(got.get(0).exit()).isZero();
        assertThat(got.get(0).answered()).isFalse();
        assertThat(got.get(0).label()).isEqualTo(-1);
        assertThat(got.get(1).exit()).isEqualTo(2);
        assertThat(got.get(1).macs()).isEqualTo(exits.get(1).cumulativeMacs());
        assertThat(got.get(2).exit()).isEqualTo(exits.size());
        assertThat(heard.answered).hasSize(3);
        assertThat(heard.reached.stream().filter(e -> e[0] == 0)).isEmpty();
    }

    @Test
    void warmUpBatchesMeasuresEverySizeClassUpToTheLargest() {
        predictor.warmUpBatches(8);
        assertThat(predictor.batchWarm(2)).isTrue();
        assertThat(predictor.batchWarm(4)).isTrue();
        assertThat(predictor.batchWarm(8)).isTrue();
        assertThat(predictor.batchWarm(16)).as("above the largest asked for").isFalse();
    }

    @Test
    void aBatchIsJudgedByItsSizeClassOrElseByBatchTimesTheSingleEstimate() {
        StepLatencies single = new StepLatencies(1);
        BatchLatencies batches = new BatchLatencies(1, 16);
        for (int i = 0; i < StepLatencies.COLD + StepLatencies.SETTLED; i++) {
            single.record(0, 1000);
        }
        assertThat(batches.estimate(0, 8, single)).as("cold: 8 x one image").isEqualTo(8000);
        for (int i = 0; i < StepLatencies.COLD + StepLatencies.SETTLED; i++) {
            batches.record(0, 8, 3000);
        }
        assertThat(batches.estimate(0, 8, single)).isEqualTo(3000);
        assertThat(batches.estimate(0, 5, single)).as("5..8 share a class").isEqualTo(3000);
        assertThat(batches.estimate(0, 4, single)).as("3..4 is still cold").isEqualTo(4000);
        assertThat(batches.estimate(0, 1000, single)).as("past the largest class, cold").isEqualTo(1_000_000);
        assertThat(BatchLatencies.sizeClass(1)).isZero();
        assertThat(BatchLatencies.sizeClass(2)).isEqualTo(1);
        assertThat(BatchLatencies.sizeClass(3)).isEqualTo(2);
        assertThat(BatchLatencies.sizeClass(8)).isEqualTo(3);
        assertThat(BatchLatencies.sizeClass(9)).isEqualTo(4);
    }
}
