package dev.anytimenn.eann;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anytimenn.eval.report.EpochSummary;
import dev.anytimenn.eval.report.ExitResult;
import dev.anytimenn.eval.report.RunReport;
import dev.anytimenn.io.Jsons;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The curve, the cost bound and the B/4, B/2 checks on hand-made member reports. */
class EannResultsTest {

    /** A report with exits at {@code macs}, test errors {@code test} and last-epoch validation errors {@code val}. */
    private static RunReport report(String name, long[] macs, double[] test, double[] val) {
        return report(name, "const", macs, test, val);
    }

    /** The same, trained with {@code weighting}. */
    private static RunReport report(String name, String weighting, long[] macs, double[] test, double[] val) {
        List<ExitResult> exits = new ArrayList<>();
        double[] valAcc = new double[val.length];
        for (int i = 0; i < macs.length; i++) {
            exits.add(new ExitResult(i + 1, i + 1, macs[i] - (i == 0 ? 0 : macs[i - 1]), macs[i], 1 - test[i]));
            valAcc[i] = 1 - val[i];
        }
        EpochSummary epoch = new EpochSummary(1, 1, 0.1, 1, 1, valAcc, new double[val.length], new double[val.length]);
        ObjectNode config = Jsons.MAPPER.createObjectNode();
        config.putObject("training").put("weighting", weighting).put("seed", 1);
        return new RunReport(name, "now", "test", 100, config, exits, List.of(epoch), 1);
    }

    private static final List<RunReport> MEMBERS = List.of(
            report("ann-0", new long[] {50, 100}, new double[] {0.5, 0.4}, new double[] {0.5, 0.4}),
            report("ann-1", new long[] {100, 200}, new double[] {0.45, 0.3}, new double[] {0.45, 0.3}));

    private static final List<EannResults.Point> OPT = List.of(new EannResults.Point("opt-a", 40, 0.45),
            new EannResults.Point("opt-b", 100, 0.35), new EannResults.Point("opt-c", 200, 0.2));

    @Test
    void curveTakesTheValidationChoiceAndReportsTestErrors() {
        EannResults r = EannResults.of(List.of("ann-0", "ann-1"), List.of(1, 2), MEMBERS, List.of(), OPT, 2);
        assertThat(r.eann()).extracting(EannResults.EannPoint::cumulativeMacs).containsExactly(50L, 100L, 200L, 300L);
        // member 1's first exit (val 0.45) does not beat member 0's final (0.40)
        assertThat(r.eann().get(2).answer()).isEqualTo("ann-0 exit 2");
        assertThat(r.eann().get(2).testError()).isCloseTo(0.4, within(1e-12));
        assertThat(r.eann().get(3).answer()).isEqualTo("ann-1 exit 2");
        assertThat(r.costRatio()).isCloseTo(1.5, within(1e-12));
        assertThat(r.costRatioBound()).isEqualTo(2.0);
        assertThat(r.costRatioWithinBound()).isTrue();
        assertThat(r.members().get(1).growthOverPrevious()).isEqualTo(2.0);
    }

    @Test
    void checksEveryBudgetAgainstOptInterpolatedAtAQuarterAndAHalf() {
        EannResults r = EannResults.of(List.of("ann-0", "ann-1"), List.of(1, 2), MEMBERS, List.of(), OPT, 2);
        assertThat(r.budgets()).hasSize(EannResults.GRID);
        assertThat(r.budgets().get(0).budget()).isEqualTo(50);
        EannResults.BudgetCheck last = r.budgets().get(r.budgets().size() - 1);
        assertThat(last.budget()).isEqualTo(300);
        // at 300: EANN 0.3. OPT at 75, between opt-a (40, 0.45) and opt-b (100, 0.35):
        // 0.45 - 0.10 ln(75/40)/ln(100/40) = 0.38140 (the best network within 75, opt-a, said 0.45)
        assertThat(last.eannError()).isCloseTo(0.3, within(1e-12));
        assertThat(last.optErrorAtQuarter()).isCloseTo(0.45 - 0.10 * Math.log(75 / 40.0) / Math.log(2.5),
                within(1e-12)).isCloseTo(0.38140, within(1e-5));
        assertThat(last.quarterHolds()).isTrue();
        // OPT at 150, between opt-b and opt-c (200, 0.2): 0.35 - 0.15 log2(1.5) = 0.26226 < 0.3: fails,
        // where the best network within 150 (opt-b, 0.35) let it hold
        assertThat(last.optErrorAtHalf()).isCloseTo(0.35 - 0.15 * Math.log(1.5) / Math.log(2), within(1e-12))
                .isCloseTo(0.26226, within(1e-5));
        assertThat(last.halfHolds()).isFalse();
        // at 50, 12.5 and 25 are below the cheapest OPT network (40): no reference, not applicable
        assertThat(r.budgets().get(0).quarterHolds()).isNull();
        int applicable = (int) r.budgets().stream().filter(b -> b.quarterHolds() != null).count();
        assertThat(r.quarter().applicable()).isEqualTo(applicable);
        assertThat(r.quarter().holds()).isEqualTo(
                (int) r.budgets().stream().filter(b -> Boolean.TRUE.equals(b.quarterHolds())).count());
    }

    @Test
    void aCheckFailsWhenTheEannIsWorseThanACheaperOpt() {
        List<EannResults.Point> strongOpt = List.of(new EannResults.Point("opt", 10, 0.1),
                new EannResults.Point("opt", 100, 0.1));
        EannResults r = EannResults.of(List.of("ann-0", "ann-1"), List.of(1, 2), MEMBERS, List.of(), strongOpt, 2);
        EannResults.BudgetCheck last = r.budgets().get(r.budgets().size() - 1);
        assertThat(last.quarterHolds()).isFalse();
        assertThat(r.quarter().holds()).isZero();
        assertThat(r.quarter().applicable()).isPositive();
    }

    @Test
    void anUntrainedHeadWithALowValidationErrorIsNeverTheAnswer() {
        // member 1 trained with eann-sieve: its first 2 of 4 heads weighed 0; their fake validation errors
        // (0.01, 0.02) beat everything, yet member 0's final answers until member 1's trained heads
        List<RunReport> members = List.of(
                report("ann-0", "sieve", new long[] {50, 100}, new double[] {0.5, 0.4}, new double[] {0.5, 0.4}),
                report("ann-1", "eann-sieve", new long[] {50, 100, 150, 200}, new double[] {0.9, 0.9, 0.35, 0.3},
                        new double[] {0.01, 0.02, 0.35, 0.3}));
        EannResults r = EannResults.of(List.of("ann-0", "ann-1"), List.of(1, 2), members, List.of(), OPT, 2);
        assertThat(r.eann()).extracting(EannResults.EannPoint::answer).containsExactly("ann-0 exit 1", "ann-0 exit 2",
                "ann-0 exit 2", "ann-0 exit 2", "ann-1 exit 3", "ann-1 exit 4");
        assertThat(r.members()).extracting(EannResults.MemberCost::weighting).containsExactly("sieve", "eann-sieve");
        EannSchedule schedule = EannResults.schedule(List.of("ann-0", "ann-1"), members);
        assertThat(schedule.members().get(1).exits()).extracting(EannSchedule.MemberExit::trained)
                .containsExactly(false, false, true, true);
    }

    @Test
    void theCurveStartsAtTheFirstTrainedExit() {
        // a member 0 trained with eann-sieve (as before #17): its first head of 3 never answers
        List<RunReport> members = List.of(report("ann-0", "eann-sieve", new long[] {30, 60, 100},
                new double[] {0.9, 0.5, 0.4}, new double[] {0.1, 0.5, 0.4}));
        EannResults r = EannResults.of(List.of("ann-0"), List.of(1), members, List.of(), OPT, 2);
        assertThat(r.eann()).extracting(EannResults.EannPoint::answer).containsExactly("ann-0 exit 2", "ann-0 exit 3");
        assertThat(r.budgets().get(0).budget()).isEqualTo(60);
        assertThat(r.budgets()).allSatisfy(b -> assertThat(b.eannError()).isNotNull());
        EannSchedule schedule = EannResults.schedule(List.of("ann-0"), members);
        assertThat(EannResults.errorAt(schedule, r.eann(), 40)).isNull();
        assertThat(EannResults.errorAt(schedule, r.eann(), 60)).isEqualTo(0.5);
    }

    @Test
    void aReportWithoutItsWeightingIsRefused() {
        RunReport bare = new RunReport("ann-0", "now", "test", 100, null, MEMBERS.get(0).exits(),
                MEMBERS.get(0).history(), 1);
        assertThatThrownBy(() -> EannResults.schedule(List.of("ann-0"), List.of(bare)))
                .hasMessage("ann-0: report.json's config names no training weighting, so which heads were trained"
                        + " is unknown");
    }

    @Test
    void optIsInterpolatedLinearlyInLogMacsBetweenTheBracketingNetworks() {
        // given out of order; costs 100, 400, 1600 are a factor 4 apart, so 200 and 800 are half-way in log
        List<EannResults.Point> opt = List.of(new EannResults.Point("c", 1600, 0.10),
                new EannResults.Point("a", 100, 0.40), new EannResults.Point("b", 400, 0.20));
        assertThat(EannResults.optAt(opt, 200)).isCloseTo(0.30, within(1e-12));
        assertThat(EannResults.optAt(opt, 800)).isCloseTo(0.15, within(1e-12));
        // a quarter of the way in log from 100 to 400 is 100 * 4^0.25 = 141.42: 0.40 - 0.25 * 0.20
        assertThat(EannResults.optAt(opt, 100 * Math.sqrt(2))).isCloseTo(0.35, within(1e-12));
        // at a network's own cost, its error; the ends included
        assertThat(EannResults.optAt(opt, 100)).isEqualTo(0.40);
        assertThat(EannResults.optAt(opt, 400)).isEqualTo(0.20);
        assertThat(EannResults.optAt(opt, 1600)).isEqualTo(0.10);
        // below the cheapest and above the dearest there is no reference
        assertThat(EannResults.optAt(opt, 99.9)).isNull();
        assertThat(EannResults.optAt(opt, 1600.1)).isNull();
        assertThat(EannResults.optAt(List.of(), 100)).isNull();
        // of two networks of the same cost, the better one
        List<EannResults.Point> twins = List.of(new EannResults.Point("a", 100, 0.40),
                new EannResults.Point("b", 400, 0.25), new EannResults.Point("b2", 400, 0.20));
        assertThat(EannResults.optAt(twins, 200)).isCloseTo(0.30, within(1e-12));
        assertThat(EannResults.optAt(twins, 400)).isEqualTo(0.20);
        // a network beaten by a cheaper one is not the optimum at its cost: the envelope skips it
        List<EannResults.Point> zigzag = List.of(new EannResults.Point("narrow", 100, 0.40),
                new EannResults.Point("wide cut short", 200, 0.45), new EannResults.Point("wide", 400, 0.20));
        assertThat(EannResults.optAt(zigzag, 200)).isCloseTo(0.30, within(1e-12));
        assertThat(EannResults.optAt(zigzag, 150)).isLessThan(0.40);
    }

    @Test
    void gridIsLogSpacedIncreasingAndEndsAtTheTotal() {
        List<Long> grid = EannResults.grid(10, 1000);
        assertThat(grid.get(0)).isEqualTo(10);
        assertThat(grid.get(grid.size() - 1)).isEqualTo(1000);
        assertThat(grid).isSorted().doesNotHaveDuplicates();
        EannSchedule firstExitAt10 = EannSchedule.of(List.of(
                new EannSchedule.Member("ann-1", List.of(new EannSchedule.MemberExit(10, 0.5)))));
        assertThat(EannResults.errorAt(firstExitAt10, List.of(), 5)).isNull();
    }
}
