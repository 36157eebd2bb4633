package dev.anytimenn.eann;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-made members with known costs and validation errors: which answer at which budget, and the cost bound. */
class EannScheduleTest {

    private static EannSchedule.MemberExit e(long macs, double error) {
        return new EannSchedule.MemberExit(macs, error);
    }

    // costs 10, 20, 40 (b = 2); member 1's first exit (err 0.30) loses to member 0's final (0.25)
    private static final EannSchedule SCHEDULE = EannSchedule.of(List.of(
            new EannSchedule.Member("ann-0", List.of(e(5, 0.40), e(10, 0.25))),
            new EannSchedule.Member("ann-1", List.of(e(10, 0.30), e(20, 0.20))),
            new EannSchedule.Member("ann-2", List.of(e(20, 0.22), e(30, 0.15), e(40, 0.12)))));

    @Test
    void answersWithTheReachedExitOnlyWhenItBeatsThePreviousFinalAnswerOnValidation() {
        assertThat(SCHEDULE.steps()).containsExactly(
                new EannSchedule.Step(0, 0, 5, 0, 0),
                new EannSchedule.Step(0, 1, 10, 0, 1),
                new EannSchedule.Step(1, 0, 20, 0, 1), // 0.30 does not beat 0.25: ann-0's final answers
                new EannSchedule.Step(1, 1, 30, 1, 1),
                new EannSchedule.Step(2, 0, 50, 1, 1), // 0.22 does not beat ann-1's final 0.20
                new EannSchedule.Step(2, 1, 60, 2, 1),
                new EannSchedule.Step(2, 2, 70, 2, 2));
        assertThat(SCHEDULE.steps().get(2).answersWithOwnExit()).isFalse();
        assertThat(SCHEDULE.steps().get(3).answersWithOwnExit()).isTrue();
    }

    @Test
    void theAnswerAtABudgetIsThatOfTheLastExitReachedWithinIt() {
        assertThat(SCHEDULE.at(4)).isEmpty();
        assertThat(SCHEDULE.at(5)).contains(SCHEDULE.steps().get(0));
        assertThat(SCHEDULE.at(29)).contains(SCHEDULE.steps().get(2));
        assertThat(SCHEDULE.at(55).orElseThrow().answerMember()).isEqualTo(1);
        assertThat(SCHEDULE.at(1_000)).contains(SCHEDULE.steps().get(6));
    }

    @Test
    void costRatioIsTheTotalOverTheLastMemberAndMeetsTheBoundForBase2() {
        assertThat(SCHEDULE.offset(0)).isZero();
        assertThat(SCHEDULE.offset(2)).isEqualTo(30);
        assertThat(SCHEDULE.totalCost()).isEqualTo(70);
        assertThat(SCHEDULE.costRatio()).isEqualTo(70 / 40.0).isLessThanOrEqualTo(2.0);
        assertThat(SCHEDULE.stepIndex(2, 1)).isEqualTo(5);
    }

    @Test
    void aFallbackAnswerIsCarriedIntoTheNextMember() {
        // member 1 never beats member 0: member 2 is compared with member 0's final answer
        EannSchedule s = EannSchedule.of(List.of(
                new EannSchedule.Member("a", List.of(e(1, 0.1))),
                new EannSchedule.Member("b", List.of(e(2, 0.2))),
                new EannSchedule.Member("c", List.of(e(4, 0.15), e(5, 0.05)))));
        assertThat(s.steps().get(1)).isEqualTo(new EannSchedule.Step(1, 0, 3, 0, 0));
        assertThat(s.steps().get(2)).isEqualTo(new EannSchedule.Step(2, 0, 7, 0, 0));
        assertThat(s.steps().get(3)).isEqualTo(new EannSchedule.Step(2, 1, 8, 2, 1));
    }

    private static EannSchedule.MemberExit untrained(long macs, double error) {
        return new EannSchedule.MemberExit(macs, error, false);
    }

    @Test
    void anUntrainedExitNeverAnswersWhateverItsValidationError() {
        // member 1's first two heads weighed 0 in training (eann-): 0.01 and 0.02 are luck, not skill
        EannSchedule s = EannSchedule.of(List.of(
                new EannSchedule.Member("ann-0", List.of(e(5, 0.40), e(10, 0.25))),
                new EannSchedule.Member("ann-1", List.of(untrained(5, 0.01), untrained(10, 0.02), e(15, 0.30),
                        e(20, 0.20)))));
        assertThat(s.steps().subList(2, 6)).containsExactly(
                new EannSchedule.Step(1, 0, 15, 0, 1), // held: ann-0's final
                new EannSchedule.Step(1, 1, 20, 0, 1),
                new EannSchedule.Step(1, 2, 25, 0, 1), // trained, but 0.30 does not beat 0.25
                new EannSchedule.Step(1, 3, 30, 1, 3));
    }

    @Test
    void beforeTheFirstTrainedExitThereIsNoAnswer() {
        // a member 0 trained with its first head masked (as before #17)
        EannSchedule s = EannSchedule.of(List.of(
                new EannSchedule.Member("ann-0", List.of(untrained(5, 0.05), e(10, 0.25), e(15, 0.2)))));
        assertThat(s.steps().get(0)).isEqualTo(new EannSchedule.Step(0, 0, 5, -1, -1));
        assertThat(s.steps().get(0).answered()).isFalse();
        assertThat(s.steps().get(1)).isEqualTo(new EannSchedule.Step(0, 1, 10, 0, 1));
        assertThat(s.steps().get(2).answered()).isTrue();
        assertThat(s.at(7).orElseThrow().answered()).isFalse();
        assertThatThrownBy(() -> EannSchedule.of(List.of(new EannSchedule.Member("x", List.of(untrained(5, 0.1))))))
                .hasMessage("no member has a trained exit: the EANN would never answer");
    }

    @Test
    void rejectsBadMembers() {
        assertThatThrownBy(() -> EannSchedule.of(List.of())).hasMessageContaining("at least one member");
        assertThatThrownBy(() -> new EannSchedule.Member("x", List.of(e(5, 0.1), e(4, 0.1))))
                .hasMessageContaining("x").hasMessageContaining("must not decrease");
    }
}
