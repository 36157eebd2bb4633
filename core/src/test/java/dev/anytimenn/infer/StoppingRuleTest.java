package dev.anytimenn.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Each rule's per-call policy, without a network: what it allows before a step and after an exit. */
class StoppingRuleTest {

    private static final float[] SURE = {0.95f, 0.05f};
    private static final float[] UNSURE = {0.55f, 0.45f};

    @Test
    void aBudgetAllowsStepsWhileTheNextExitFitsWhatIsLeft() {
        StoppingPolicy p = new StoppingRule.CostBudget(100).start(3, 0);
        assertThat(p.mayRun(60, 0, 0)).isTrue();
        p.spent(60);
        assertThat(p.mayRun(40, 0, 0)).isTrue();
        assertThat(p.mayRun(41, 0, 0)).isFalse();
        assertThat(p.done(0, UNSURE)).isFalse();
        // each call starts with the whole budget
        assertThat(new StoppingRule.CostBudget(100).start(3, 0).mayRun(100, 0, 0)).isTrue();
    }

    @Test
    void aDeadlineCountsFromTheCallsStartAndTheEstimate() {
        StoppingPolicy p = new StoppingRule.Deadline(1_000).start(3, 5_000);
        assertThat(p.mayRun(1, 400, 5_600)).isTrue();   // 600 elapsed + 400 expected = 1000
        assertThat(p.mayRun(1, 401, 5_600)).isFalse();
        assertThat(new StoppingRule.Deadline(1_000).usesLatency()).isTrue();
        assertThat(new StoppingRule.CostBudget(1).usesLatency()).isFalse();
    }

    @Test
    void confidenceLetsASampleLeaveAtTheFirstExitItPassesAndNeedsOneThresholdPerExit() {
        StoppingRule rule = StoppingRule.Confidence.atEveryExit(ConfidenceScore.MAX_SOFTMAX, 0.9, 3);
        StoppingPolicy p = rule.start(3, 0);
        assertThat(p.mayRun(Long.MAX_VALUE, Double.MAX_VALUE, Long.MAX_VALUE)).isTrue();
        assertThat(p.done(0, SURE)).isTrue();
        assertThat(p.done(0, UNSURE)).isFalse();
        assertThat(p.done(2, UNSURE)).as("the last exit always answers").isTrue();
        assertThatThrownBy(() -> rule.start(4, 0))
                .hasMessage("a confidence rule needs one threshold per exit (4), got 3");
    }

    @Test
    void runAllRunsEverythingAndLetsNobodyLeaveEarly() {
        StoppingPolicy p = new StoppingRule.RunAll().start(2, 0);
        assertThat(p.mayRun(Long.MAX_VALUE, Double.MAX_VALUE, Long.MAX_VALUE)).isTrue();
        assertThat(p.done(0, SURE)).isFalse();
    }
}
