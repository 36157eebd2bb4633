package dev.anytimenn.eann;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.infer.AnytimePredictor;
import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.infer.Prediction;
import dev.anytimenn.infer.StoppingRule;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.model.ModelTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two untrained tiny members (3 and 6 exits) under a schedule that marks some exits untrained: the
 * predictor never answers from those and never lets a sample leave at them. Nothing is trained.
 */
class EannPredictorTest {

    static NDManager manager;
    static List<AnytimePredictor> members;

    @BeforeAll
    static void networks() {
        manager = NDManager.newBaseManager();
        Normalization norm = Normalization.singleChannel(0.3f, 0.3f);
        members = List.of(
                new AnytimePredictor(ModelTestSupport.seeded(ModelTestSupport.resann(1, 4, 1), manager, 5), norm,
                        manager),
                new AnytimePredictor(ModelTestSupport.seeded(ModelTestSupport.resann(2, 4, 1), manager, 6), norm,
                        manager));
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /**
     * Member 0's first exit and member 1's first three were never trained; their validation errors (0.01)
     * would make them the answer if that were all that counted.
     */
    private static EannSchedule schedule() {
        List<EannSchedule.Member> out = new ArrayList<>();
        for (int k = 0; k < members.size(); k++) {
            List<ExitCost> costs = members.get(k).exitCosts();
            int untrained = k == 0 ? 1 : 3;
            List<EannSchedule.MemberExit> exits = new ArrayList<>();
            for (int j = 0; j < costs.size(); j++) {
                double error = j < untrained ? 0.01 : 0.5 - 0.01 * j;
                exits.add(new EannSchedule.MemberExit(costs.get(j).cumulativeMacs(), error, j >= untrained));
            }
            out.add(new EannSchedule.Member("ann-" + k, exits));
        }
        return EannSchedule.of(out);
    }

    private static byte[] image(int seed) {
        byte[] pixels = new byte[28 * 28];
        new Random(seed).nextBytes(pixels);
        return pixels;
    }

    @Test
    void anUntrainedExitNeverAnswers() {
        EannPredictor eann = new EannPredictor(members, schedule());
        EannSchedule s = eann.schedule();
        // within member 0's first (untrained) exit: no answer at all
        Prediction first = eann.predict(image(1), new StoppingRule.CostBudget(s.steps().get(0).cumulativeMacs()));
        assertThat(first.answered()).isFalse();
        // member 0's second exit is its own answer
        assertThat(eann.predict(image(1), new StoppingRule.CostBudget(s.steps().get(1).cumulativeMacs())).exit())
                .isEqualTo(2);
        // member 1's untrained exits hold member 0's final answer (exit 3 of the sequence)
        for (int step = 3; step < 6; step++) {
            Prediction p = eann.predict(image(2), new StoppingRule.CostBudget(s.steps().get(step).cumulativeMacs()));
            assertThat(p.exit()).as("step %d", step).isEqualTo(3);
        }
        assertThat(eann.predict(image(2), new StoppingRule.RunAll()).exit()).isEqualTo(s.steps().size());
    }

    @Test
    void noSampleLeavesAtAnUntrainedExitHoweverConfident() {
        EannPredictor eann = new EannPredictor(members, schedule());
        // every exit is "confident enough": a sample leaves at the first exit it may leave at
        StoppingRule always = StoppingRule.Confidence.atEveryExit(ConfidenceScore.MAX_SOFTMAX, 0,
                eann.schedule().steps().size());
        for (int i = 0; i < 5; i++) {
            Prediction p = eann.predict(image(10 + i), always);
            assertThat(p.exit()).isEqualTo(2); // not exit 1, untrained
            assertThat(p.macs()).isEqualTo(eann.schedule().steps().get(1).cumulativeMacs());
        }
    }
}
