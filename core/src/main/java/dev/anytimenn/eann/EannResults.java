package dev.anytimenn.eann;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anytimenn.eval.report.EpochSummary;
import dev.anytimenn.eval.report.ExitResult;
import dev.anytimenn.eval.report.ReportFiles;
import dev.anytimenn.eval.report.RunReport;
import dev.anytimenn.weighting.LossWeightings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The measured curves of an EANN and its baselines, and the paper's two guarantees checked on them:
 * the EANN's error at budget B against OPT's at B/4 and at B/2, OPT's error at a cost being
 * interpolated in log MACs between the OPT networks ({@link #optAt}).
 * Errors are test-set fractions; the EANN's answer at each exit is chosen on validation errors
 * ({@link EannSchedule}), so the test errors here are not used to pick anything.
 *
 * @param eann one point per exit of the sequence from the first that answers (the first trained one): where
 *     it is reached and the test error of the answer then
 * @param costRatio MACs to reach the last member's final answer over that member's own MACs
 * @param costRatioBound b / (b - 1)
 * @param budgets the checks at each budget of the grid
 */
public record EannResults(List<MemberCost> members, List<EannPoint> eann, List<Point> single, List<Point> opt,
        double costRatio, double costRatioBound, boolean costRatioWithinBound, List<BudgetCheck> budgets,
        CheckSummary quarter, CheckSummary half) {

    /** Budgets on the grid: this many, spaced evenly in log MACs from the first answer to the full sequence. */
    public static final int GRID = 16;

    /** @param weighting what the member was trained with, from its run's config */
    public record MemberCost(String name, int n, String weighting, long macs, Double growthOverPrevious) {}

    /** @param answer e.g. "ann-1 exit 3": the member exit whose prediction answers */
    public record EannPoint(int member, int exit, long cumulativeMacs, String answer, double testError) {}

    public record Point(String name, long macs, double testError) {}

    /**
     * One budget B: the EANN's error at B (null before its first answer) against OPT's error at B/4 and
     * at B/2, interpolated in log MACs between the OPT networks ({@link #optAt}; null outside their costs:
     * the check does not apply).
     */
    public record BudgetCheck(long budget, Double eannError, Double optErrorAtQuarter, Boolean quarterHolds,
            Double optErrorAtHalf, Boolean halfHolds) {}

    public record CheckSummary(int applicable, int holds) {}

    /** Reads every run's report in the EANN folder {@code dir}. */
    public static EannResults read(EannPlan plan, Path dir) throws IOException {
        List<RunReport> members = new ArrayList<>();
        for (EannPlan.Job j : plan.members()) {
            members.add(report(dir, j));
        }
        RunReport single = report(dir, plan.single());
        List<Point> opt = new ArrayList<>();
        for (EannPlan.Job j : plan.opt()) {
            RunReport r = report(dir, j);
            ExitResult last = r.exits().get(r.exits().size() - 1);
            opt.add(new Point(j.config().name(), last.cumulativeMacs(), last.testError()));
        }
        List<String> names = plan.members().stream().map(j -> j.config().name()).toList();
        List<Integer> ns = plan.members().stream().map(j -> j.config().model().n()).toList();
        return of(names, ns, members, exitPoints(plan.single().config().name(), single), opt, plan.config().base());
    }

    private static RunReport report(Path dir, EannPlan.Job job) throws IOException {
        Path json = EannPlan.runDir(dir, job).resolve(ReportFiles.JSON);
        if (!Files.isRegularFile(json)) {
            throw new IOException(json + " is missing: run 'anytime eann train " + dir + "' to finish the EANN");
        }
        return ReportFiles.readJson(json);
    }

    /**
     * The schedule of the members, from their exits' MACs and final validation errors, and which heads
     * their runs' weightings trained (an exit whose head was never trained never answers).
     */
    public static EannSchedule schedule(List<String> names, List<RunReport> members) {
        List<EannSchedule.Member> out = new ArrayList<>();
        for (int k = 0; k < members.size(); k++) {
            RunReport r = members.get(k);
            if (r.history().isEmpty()) {
                throw new IllegalArgumentException(names.get(k) + ": no validation errors recorded (report.json has no"
                        + " history), so the EANN cannot choose its answers");
            }
            EpochSummary last = r.history().get(r.history().size() - 1);
            if (last.validationAccuracy().length != r.exits().size()) {
                throw new IllegalArgumentException(names.get(k) + ": " + last.validationAccuracy().length
                        + " validation accuracies for " + r.exits().size() + " exits");
            }
            boolean[] trained = trainedHeads(names.get(k), r);
            List<EannSchedule.MemberExit> exits = new ArrayList<>();
            for (int j = 0; j < r.exits().size(); j++) {
                exits.add(new EannSchedule.MemberExit(r.exits().get(j).cumulativeMacs(),
                        1 - last.validationAccuracy()[j], trained[j]));
            }
            out.add(new EannSchedule.Member(names.get(k), exits));
        }
        return EannSchedule.of(out);
    }

    /** The weighting spec of the run {@code r} reports, from the config it records. */
    static String weighting(String name, RunReport r) {
        JsonNode weighting = r.config().path("training").path("weighting");
        if (!weighting.isTextual()) {
            throw new IllegalArgumentException(name + ": report.json's config names no training weighting, so which"
                    + " heads were trained is unknown");
        }
        return weighting.textValue();
    }

    /** Which heads the run's weighting trained: those whose static weight is above 0. */
    static boolean[] trainedHeads(String name, RunReport r) {
        long seed = r.config().path("training").path("seed").asLong(0);
        String weighting = weighting(name, r);
        try {
            return LossWeightings.create(weighting, r.exits().size(), seed).trainedHeads();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    static EannResults of(List<String> names, List<Integer> ns, List<RunReport> members, List<Point> single,
            List<Point> opt, double base) {
        EannSchedule schedule = schedule(names, members);
        List<MemberCost> costs = new ArrayList<>();
        for (int k = 0; k < members.size(); k++) {
            long macs = schedule.members().get(k).cost();
            Double growth = k == 0 ? null : (double) macs / schedule.members().get(k - 1).cost();
            costs.add(new MemberCost(names.get(k), ns.get(k), weighting(names.get(k), members.get(k)), macs, growth));
        }
        List<EannPoint> curve = new ArrayList<>();
        for (EannSchedule.Step s : schedule.steps()) {
            if (!s.answered()) {
                continue; // no trained exit reached yet: the EANN has no answer to plot
            }
            ExitResult answer = members.get(s.answerMember()).exits().get(s.answerExit());
            curve.add(new EannPoint(s.member(), s.exit() + 1, s.cumulativeMacs(),
                    names.get(s.answerMember()) + " exit " + (s.answerExit() + 1), answer.testError()));
        }
        List<BudgetCheck> checks = new ArrayList<>();
        int quarterApplicable = 0;
        int quarterHolds = 0;
        int halfApplicable = 0;
        int halfHolds = 0;
        for (long b : grid(curve.get(0).cumulativeMacs(), schedule.totalCost())) {
            Double eannError = errorAt(schedule, curve, b);
            Double atQuarter = optAt(opt, b / 4.0);
            Double atHalf = optAt(opt, b / 2.0);
            Boolean quarter = eannError == null || atQuarter == null ? null : eannError <= atQuarter;
            Boolean half = eannError == null || atHalf == null ? null : eannError <= atHalf;
            if (quarter != null) {
                quarterApplicable++;
                quarterHolds += quarter ? 1 : 0;
            }
            if (half != null) {
                halfApplicable++;
                halfHolds += half ? 1 : 0;
            }
            checks.add(new BudgetCheck(b, eannError, atQuarter, quarter, atHalf, half));
        }
        double bound = base / (base - 1);
        double ratio = schedule.costRatio();
        return new EannResults(costs, curve, single, opt, ratio, bound, ratio <= bound + 1e-12, checks,
                new CheckSummary(quarterApplicable, quarterHolds), new CheckSummary(halfApplicable, halfHolds));
    }

    /** {@link #GRID} budgets from {@code first} to {@code last} MACs, evenly spaced in log scale. */
    static List<Long> grid(long first, long last) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < GRID; i++) {
            double t = GRID == 1 ? 1 : (double) i / (GRID - 1);
            long b = Math.round(Math.exp(Math.log(first) + t * (Math.log(last) - Math.log(first))));
            if (out.isEmpty() || b > out.get(out.size() - 1)) {
                out.add(b);
            }
        }
        out.set(out.size() - 1, last); // rounding must not miss the final answer
        return out;
    }

    /**
     * The EANN's test error at {@code budget}: that of the answer at the last exit reached; null before
     * the first answer. {@code curve} has a point for every answered step of {@code schedule}.
     */
    static Double errorAt(EannSchedule schedule, List<EannPoint> curve, long budget) {
        return schedule.at(budget).filter(EannSchedule.Step::answered)
                .flatMap(s -> curve.stream().filter(p -> p.member() == s.member() && p.exit() == s.exit() + 1)
                        .findFirst())
                .map(EannPoint::testError).orElse(null);
    }

    /**
     * OPT's test error at {@code budget} MACs: linear in log MACs between the two OPT networks whose
     * costs bracket it (at an OPT network's own cost, its error; of networks of equal cost, the lower).
     * Null below the cheapest OPT network and above the dearest: no pair brackets the budget there, so
     * there is no reference to compare with. (The best OPT network within the budget, used before, would
     * compare the EANN at B with an OPT network of much less than B/4 between two OPT costs: too lenient.)
     * An OPT network worse than a cheaper one is left out first: at its cost the cheaper one is the
     * optimum, and interpolating through it would make the reference zigzag (a shallow cut of a wide
     * network is worse than a whole narrow one of about its cost).
     */
    static Double optAt(List<Point> opt, double budget) {
        List<Point> sorted = new ArrayList<>();
        for (Point p : opt.stream().sorted(Comparator.comparingLong(Point::macs)
                .thenComparingDouble(Point::testError)).toList()) {
            Point last = sorted.isEmpty() ? null : sorted.get(sorted.size() - 1);
            if (last == null || p.macs() != last.macs() && p.testError() <= last.testError()) {
                sorted.add(p); // no worse than every cheaper network, so on the lower envelope
            }
        }
        for (int i = 0; i < sorted.size(); i++) {
            Point hi = sorted.get(i);
            if (budget == hi.macs()) {
                return hi.testError();
            }
            if (budget < hi.macs()) {
                if (i == 0) {
                    return null;
                }
                Point lo = sorted.get(i - 1);
                double t = (Math.log(budget) - Math.log(lo.macs())) / (Math.log(hi.macs()) - Math.log(lo.macs()));
                return lo.testError() + t * (hi.testError() - lo.testError());
            }
        }
        return null;
    }

    private static List<Point> exitPoints(String name, RunReport r) {
        List<Point> out = new ArrayList<>();
        for (ExitResult e : r.exits()) {
            out.add(new Point(name + " exit " + e.index(), e.cumulativeMacs(), e.testError()));
        }
        return out;
    }
}
