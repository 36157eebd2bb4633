package dev.anytimenn.study;

import dev.anytimenn.eval.report.ExitResult;
import dev.anytimenn.eval.report.ReportFiles;
import dev.anytimenn.eval.report.RunReport;
import dev.anytimenn.eval.report.TestPredictions;
import dev.anytimenn.weighting.LossWeightings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The four claims study v2 registered before its first run (results/study-fashion-mnist/README.md),
 * judged from the runs' per-image test predictions by the decision rule registered with them, so
 * that the analysis cannot be chosen after seeing the numbers.
 *
 * <p>A claim is one or more comparisons "arm A has a lower test error than arm B at a depth
 * fraction". Runs with the same seed are paired; per seed the difference of the errors (A - B, in
 * percentage points) and McNemar's exact test on the test images decide, over seeds the mean
 * difference and a paired t-test are only reported. A comparison is {@link Verdict#SUPPORTED} if
 * A is lower in every seed with McNemar p &lt; {@link #ALPHA} in every seed, {@link
 * Verdict#CONTRADICTED} if A is higher in every seed with p &lt; {@link #ALPHA} in every seed, and
 * otherwise {@link Verdict#NOT_SUPPORTED}. A "not significantly higher" comparison holds unless it
 * would be contradicted.
 *
 * <p>A claim with several comparisons is their conjunction: supported if all are, contradicted if
 * any is (its negation is then established), otherwise not supported. Claim 2's two exits are two
 * claims ("2a", "2b"), as registered. A claim whose arms the study does not have is left out; one
 * whose runs or predictions are missing is {@link Verdict#NOT_JUDGED}, naming the missing file,
 * rather than failing the study's report.
 */
public final class StudyClaims {

    /** The significance level of every per-seed McNemar test. */
    public static final double ALPHA = 0.05;

    /** The arm keys the claims name ({@link StudyArm#name}). */
    public static final String CONST = "const";
    public static final String OSCILLATING = "oscillating";
    /** The primary AdaLoss arm: the reference code's defaults, no distillation. */
    public static final String ADALOSS = "adaloss";
    /** The primary AdaLoss arm plus self-distillation. */
    public static final String ADALOSS_DISTILL = "adaloss-distill";

    public enum Verdict { SUPPORTED, NOT_SUPPORTED, CONTRADICTED, NOT_JUDGED }

    /** What a comparison claims about arm A against arm B. */
    public enum Expectation {
        /** A's error is lower. */
        LOWER,
        /** A's error is not significantly higher: only a significant increase in every seed refutes it. */
        NOT_HIGHER
    }

    /**
     * One seed of a comparison. Errors are computed from the predictions file, the same images McNemar's
     * test counts, so {@code differencePoints = 100 (c - b) / images}.
     *
     * @param errorPercentA arm A's test error at the exit, percent
     * @param errorPercentB arm B's
     * @param differencePoints A - B, percentage points (negative: A is better)
     * @param b images A gets right and B wrong
     * @param c images A gets wrong and B right
     * @param mcNemarP McNemar's exact two-sided p-value
     */
    public record SeedRow(long seed, double errorPercentA, double errorPercentB, double differencePoints, int b,
            int c, double mcNemarP) {}

    /**
     * Arm A against arm B at one exit, over seeds.
     *
     * @param fraction the depth fraction of the exit (1.0: the final exit)
     * @param seeds per seed, in the study's seed order; empty when not judged
     * @param meanDifferencePoints mean over seeds of A - B, percentage points; null when not judged
     * @param pairedT the paired t statistic of the differences; null with fewer than 2 seeds or no spread
     * @param pairedTP its two-sided p-value (reported only: the per-seed tests decide); null where t is
     * @param reason one line: why the verdict
     */
    public record Comparison(String armA, String armB, double fraction, Expectation expectation,
            List<SeedRow> seeds, Double meanDifferencePoints, Double pairedT, Double pairedTP, Verdict verdict,
            String reason) {

        public Comparison {
            seeds = List.copyOf(seeds);
        }

        /** E.g. "const vs adaloss at 1/4" or "oscillating vs const at the final exit". */
        public String label() {
            return armA + " vs " + armB + " at " + exitLabel(fraction);
        }
    }

    /**
     * One registered claim and its verdict.
     *
     * @param id "1", "2a", "2b", "3" or "4"
     * @param statement the claim as registered
     * @param reason one line: why the verdict (for a claim of several comparisons, the deciding one)
     * @param comparisons every comparison the claim is made of
     */
    public record Claim(String id, String statement, Verdict verdict, String reason, List<Comparison> comparisons) {

        public Claim {
            comparisons = List.copyOf(comparisons);
        }
    }

    /** A comparison as registered, before any data. */
    record Part(String armA, String armB, double fraction, Expectation expectation) {}

    /** A claim as registered: its id, its words and the comparisons it is made of. */
    record Spec(String id, String statement, List<Part> parts) {}

    private StudyClaims() {}

    /**
     * The registered claims that the study's arms allow, in order. Claim 4's rivals are every arm
     * other than oscillating SIEVE.
     */
    static List<Spec> specs(List<StudyArm> arms) {
        List<String> names = arms.stream().map(StudyArm::name).toList();
        List<Spec> specs = new ArrayList<>();
        if (names.contains(CONST) && names.contains(ADALOSS)) {
            specs.add(new Spec("1", "CONST beats AdaLoss at 1/4 (lower test error at exit 1).",
                    List.of(new Part(CONST, ADALOSS, 0.25, Expectation.LOWER))));
            specs.add(new Spec("2a", "AdaLoss is closer to OPT than CONST at 3/4 (lower test error at exit 3).",
                    List.of(new Part(ADALOSS, CONST, 0.75, Expectation.LOWER))));
            specs.add(new Spec("2b", "AdaLoss is closer to OPT than CONST at the final exit (lower test error at"
                    + " exit 4).", List.of(new Part(ADALOSS, CONST, 1.0, Expectation.LOWER))));
        }
        if (names.contains(ADALOSS_DISTILL) && names.contains(ADALOSS)) {
            specs.add(new Spec("3", "Distillation improves the early exits without hurting the final one:"
                    + " AdaLoss + distillation has a lower error than AdaLoss at 1/4 and at 1/2 (both needed), and"
                    + " its final-exit error is not significantly higher.",
                    List.of(new Part(ADALOSS_DISTILL, ADALOSS, 0.25, Expectation.LOWER),
                            new Part(ADALOSS_DISTILL, ADALOSS, 0.5, Expectation.LOWER),
                            new Part(ADALOSS_DISTILL, ADALOSS, 1.0, Expectation.NOT_HIGHER))));
        }
        if (names.contains(OSCILLATING) && names.size() > 1) {
            List<Part> parts = new ArrayList<>();
            for (String rival : names) {
                if (!rival.equals(OSCILLATING)) {
                    parts.add(new Part(OSCILLATING, rival, 1.0, Expectation.LOWER));
                }
            }
            specs.add(new Spec("4", "Oscillating SIEVE gives the best final exit of the ANNs: a lower final-exit"
                    + " error than every other ANN arm.", parts));
        }
        return specs;
    }

    /**
     * Judges every registered claim the study's arms allow.
     *
     * @param runsDir the study's {@code runs/} folder; arm {@code a}'s run for seed {@code s} is
     *     {@code runsDir/a.folder(s)} with report.json and test-predictions.json
     * @param arms the study's ANN arms
     * @param seeds the study's seeds, every one of which must be there for a verdict
     * @param units L, the full network's unit count: fraction f is the exit after unit f L
     */
    public static List<Claim> judge(Path runsDir, List<StudyArm> arms, List<Long> seeds, int units) {
        Map<String, StudyArm> byName = new HashMap<>();
        for (StudyArm a : arms) {
            byName.put(a.name(), a);
        }
        Runs runs = new Runs(runsDir, units);
        List<Claim> claims = new ArrayList<>();
        for (Spec spec : specs(arms)) {
            List<Comparison> comparisons = new ArrayList<>();
            for (Part part : spec.parts()) {
                comparisons.add(compare(part, byName, seeds, runs));
            }
            claims.add(combine(spec, comparisons));
        }
        return claims;
    }

    private static Comparison compare(Part part, Map<String, StudyArm> arms, List<Long> seeds, Runs runs) {
        try {
            for (String name : List.of(part.armA(), part.armB())) {
                checkShape(arms.get(name));
            }
            List<SeedRow> rows = new ArrayList<>();
            for (long seed : seeds) {
                Exit a = runs.exit(arms.get(part.armA()), seed, part.fraction());
                Exit b = runs.exit(arms.get(part.armB()), seed, part.fraction());
                if (!a.labels().equals(b.labels())) {
                    throw new NotJudged(a.run() + " and " + b.run() + " were tested on different images");
                }
                McNemar.Result m = McNemar.test(a.correct(), b.correct());
                double n = a.correct().length;
                double errA = 100 * wrong(a.correct()) / n;
                double errB = 100 * wrong(b.correct()) / n;
                rows.add(new SeedRow(seed, errA, errB, 100 * (m.c() - m.b()) / n, m.b(), m.c(), m.p()));
            }
            return judged(part, rows);
        } catch (NotJudged e) {
            return new Comparison(part.armA(), part.armB(), part.fraction(), part.expectation(), List.of(), null,
                    null, null, Verdict.NOT_JUDGED, "not judged: " + e.getMessage());
        }
    }

    /** The registered rule on one comparison's seed rows. */
    static Comparison judged(Part part, List<SeedRow> rows) {
        if (rows.isEmpty()) {
            return new Comparison(part.armA(), part.armB(), part.fraction(), part.expectation(), rows, null, null,
                    null, Verdict.NOT_JUDGED, "not judged: no seeds");
        }
        int n = rows.size();
        int lower = 0;
        int higher = 0;
        SeedRow firstNotLower = null;
        for (SeedRow r : rows) {
            boolean significant = r.mcNemarP() < ALPHA;
            if (significant && r.differencePoints() < 0) {
                lower++;
            } else if (firstNotLower == null) {
                firstNotLower = r;
            }
            if (significant && r.differencePoints() > 0) {
                higher++;
            }
        }
        Verdict verdict;
        String reason;
        String seedsWord = n == 1 ? "the seed" : "all " + n + " seeds";
        if (higher == n) {
            verdict = Verdict.CONTRADICTED;
            reason = (part.expectation() == Expectation.NOT_HIGHER ? "significantly higher: " : "")
                    + "higher in " + seedsWord + ", McNemar p < " + ALPHA + " in each";
        } else if (part.expectation() == Expectation.NOT_HIGHER) {
            verdict = Verdict.SUPPORTED;
            reason = "not significantly higher: higher with p < " + ALPHA + " in " + higher + " of " + n
                    + " seeds (all needed to refute)";
        } else if (lower == n) {
            verdict = Verdict.SUPPORTED;
            reason = "lower in " + seedsWord + ", McNemar p < " + ALPHA + " in each";
        } else {
            verdict = Verdict.NOT_SUPPORTED;
            reason = "lower with p < " + ALPHA + " in " + lower + " of " + n + " seeds (all needed); seed "
                    + firstNotLower.seed() + ": " + String.format(Locale.ROOT, "%+.2f", firstNotLower.differencePoints())
                    + " points, p = " + formatP(firstNotLower.mcNemarP());
        }
        double[] differences = rows.stream().mapToDouble(SeedRow::differencePoints).toArray();
        PairedT.Result t = PairedT.of(differences);
        return new Comparison(part.armA(), part.armB(), part.fraction(), part.expectation(), rows,
                t.meanDifference(), t.t(), t.p(), verdict, reason);
    }

    /** The conjunction of a claim's comparisons. */
    static Claim combine(Spec spec, List<Comparison> comparisons) {
        for (Comparison c : comparisons) {
            if (c.verdict() == Verdict.NOT_JUDGED) {
                return new Claim(spec.id(), spec.statement(), Verdict.NOT_JUDGED, c.reason(), comparisons);
            }
        }
        boolean single = comparisons.size() == 1;
        for (Comparison c : comparisons) {
            if (c.verdict() == Verdict.CONTRADICTED) {
                return new Claim(spec.id(), spec.statement(), Verdict.CONTRADICTED,
                        single ? c.reason() : c.label() + ": " + c.reason(), comparisons);
            }
        }
        for (Comparison c : comparisons) {
            if (c.verdict() == Verdict.NOT_SUPPORTED) {
                return new Claim(spec.id(), spec.statement(), Verdict.NOT_SUPPORTED,
                        single ? c.reason() : c.label() + ": " + c.reason(), comparisons);
            }
        }
        return new Claim(spec.id(), spec.statement(), Verdict.SUPPORTED,
                single ? comparisons.get(0).reason() : "all " + comparisons.size() + " comparisons hold", comparisons);
    }

    /**
     * Checks that an arm the claims name is what the registration means by that name, so a study that
     * reuses a key for something else is not judged as if it were the registered arm.
     */
    private static void checkShape(StudyArm arm) throws NotJudged {
        String expected = switch (arm.name()) {
            case ADALOSS_DISTILL -> ADALOSS;
            case CONST, OSCILLATING, ADALOSS -> arm.name();
            default -> null; // a rival of claim 4: any ANN arm
        };
        if (expected == null) {
            return;
        }
        boolean distills = arm.name().equals(ADALOSS_DISTILL);
        String canonical;
        try {
            canonical = LossWeightings.parse(arm.weighting()).canonical();
        } catch (IllegalArgumentException e) {
            canonical = arm.weighting();
        }
        if (!canonical.equals(expected) || arm.distills() != distills) {
            throw new NotJudged("arm " + arm.name() + " is weighting '" + arm.weighting() + "'"
                    + (arm.distills() ? " with distillation " + arm.distill() : " without distillation")
                    + "; the claims mean '" + expected + "' " + (distills ? "with" : "without") + " distillation");
        }
    }

    private static int wrong(boolean[] correct) {
        int n = 0;
        for (boolean ok : correct) {
            n += ok ? 0 : 1;
        }
        return n;
    }

    /** p as the tables print it: three decimals, or two significant digits below 0.001. */
    public static String formatP(double p) {
        return p >= 0.001 ? String.format(Locale.ROOT, "%.3f", p) : String.format(Locale.ROOT, "%.1e", p);
    }

    /** "1/4", "1/2", "3/4", "the final exit". */
    public static String exitLabel(double fraction) {
        return fraction == 1.0 ? "the final exit" : StudyReport.fractionLabel(fraction);
    }

    /** Why a comparison cannot be judged; the message names the missing or inconsistent file. */
    private static final class NotJudged extends Exception {
        NotJudged(String message) {
            super(message, null, false, false);
        }
    }

    /** One exit of one run: which test images it got right. */
    private record Exit(String run, String labels, boolean[] correct) {}

    /** The runs' reports and predictions, each read once. */
    private static final class Runs {
        private final Path dir;
        private final int units;
        private final Map<String, Object> loaded = new HashMap<>(); // Loaded or NotJudged

        private record Loaded(RunReport report, TestPredictions predictions) {}

        Runs(Path dir, int units) {
            this.dir = dir;
            this.units = units;
        }

        Exit exit(StudyArm arm, long seed, double fraction) throws NotJudged {
            String folder = arm.folder(seed);
            String run = StudyPlan.RUNS + "/" + folder;
            Object got = loaded.computeIfAbsent(folder, f -> {
                try {
                    return load(run, dir.resolve(f));
                } catch (NotJudged e) {
                    return e;
                }
            });
            if (got instanceof NotJudged e) {
                throw e;
            }
            Loaded l = (Loaded) got;
            double exact = fraction * units;
            long unit = Math.round(exact);
            List<ExitResult> exits = l.report().exits();
            for (int i = 0; i < exits.size(); i++) {
                if (Math.abs(exact - unit) < 1e-9 && exits.get(i).afterUnit() == unit) {
                    return new Exit(run, l.predictions().labels(), l.predictions().correct(i));
                }
            }
            throw new NotJudged(run + " has no exit at fraction " + fraction + " of its " + units + " units"
                    + (Math.abs(exact - unit) < 1e-9 ? " (after unit " + unit + ")" : ""));
        }

        private static Loaded load(String run, Path folder) throws NotJudged {
            Path reportFile = folder.resolve(ReportFiles.JSON);
            Path predictionsFile = folder.resolve(TestPredictions.FILE);
            for (Path p : List.of(reportFile, predictionsFile)) {
                if (!Files.isRegularFile(p)) {
                    throw new NotJudged("missing " + run + "/" + p.getFileName());
                }
            }
            RunReport report;
            TestPredictions predictions;
            try {
                report = ReportFiles.readJson(reportFile);
                predictions = TestPredictions.read(predictionsFile);
            } catch (IOException | RuntimeException e) {
                throw new NotJudged("unreadable " + run + ": " + Objects.toString(e.getMessage(), e.toString())
                        .split("\n", 2)[0]);
            }
            if (predictions.exits().size() != report.exits().size()) {
                throw new NotJudged(run + ": " + TestPredictions.FILE + " has " + predictions.exits().size()
                        + " exits, " + ReportFiles.JSON + " " + report.exits().size());
            }
            // a predictions file from another evaluation than the report would judge other numbers
            for (int i = 0; i < report.exits().size(); i++) {
                double fromPredictions = wrong(predictions.correct(i));
                double fromReport = report.exits().get(i).testError() * predictions.images();
                if (Math.abs(fromPredictions - fromReport) > 0.5) {
                    throw new NotJudged(run + ": exit " + (i + 1) + " misclassifies " + (long) fromPredictions
                            + " images in " + TestPredictions.FILE + " but " + Math.round(fromReport) + " in "
                            + ReportFiles.JSON);
                }
            }
            return new Loaded(report, predictions);
        }
    }
}
