package dev.anytimenn.study;

import dev.anytimenn.eval.report.EpochSummary;
import dev.anytimenn.eval.report.ExitResult;
import dev.anytimenn.eval.report.ReportFiles;
import dev.anytimenn.eval.report.RunReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a finished study measured. Errors are fractions in [0, 1]; relative increases are percent.
 * Over seeds: the mean and the sample standard deviation (null with one seed). The relative increase
 * compares the mean errors: 100 (mean err_ANN - mean err_OPT) / mean err_OPT.
 *
 * @param exits per ANN arm (named as {@link StudyArm#name()}), every exit's error over seeds
 * @param opt per fraction key ("0.25"), the OPT network's final-exit error over seeds
 * @param atFractions per weighting and fraction key, the ANN exit after unit fraction * L
 * @param relativeErrorIncreaseVsOpt per weighting: fraction keys and "mean" (of the fractions) to percent
 *     (null where OPT's error is 0)
 * @param geometricMeanValidationLoss per weighting, per epoch: the geometric mean over exits of the
 *     validation losses, averaged over seeds
 * @param claims the pre-registered claims the study's arms allow, judged from the runs' per-image
 *     predictions ({@link StudyClaims}); empty when the study has none of their arms
 */
public record StudyResults(List<RunResult> runs, Map<String, List<ExitStats>> exits, Map<String, ExitStats> opt,
        Map<String, Map<String, ExitStats>> atFractions, Map<String, Map<String, Double>> relativeErrorIncreaseVsOpt,
        Map<String, List<Double>> geometricMeanValidationLoss, List<StudyClaims.Claim> claims) {

    public StudyResults {
        claims = List.copyOf(claims);
    }

    public static final String MEAN = "mean";

    /** One run's test errors, as study.json lists them. */
    public record RunResult(String name, String arm, long seed, double fraction, int units,
            double trainingSeconds, List<RunExit> exits) {}

    public record RunExit(int index, int afterUnit, long macs, long cumulativeMacs, double testError) {}

    /** One exit over seeds; {@code testErrors} in seed order. */
    public record ExitStats(int index, int afterUnit, long cumulativeMacs, double meanTestError,
            Double stdTestError, List<Double> testErrors) {}

    /**
     * Reads every run's report.json under {@code <out>/runs/} and judges the claims from the ANN runs'
     * test-predictions.json (a claim whose files are missing is "not judged", the rest is unaffected).
     */
    public static StudyResults read(StudyPlan plan, Path out) throws IOException {
        Map<String, RunReport> reports = new LinkedHashMap<>();
        for (StudyPlan.PlannedRun run : plan.runs()) {
            Path json = StudyPlan.runDir(out, run).resolve(ReportFiles.JSON);
            reports.put(run.folder(), ReportFiles.readJson(json));
        }
        StudyConfig config = plan.config();
        return of(plan, reports).withClaims(StudyClaims.judge(StudyPlan.runsDir(out), plan.arms(), config.seeds(),
                config.units()));
    }

    /** The same results with these claims. */
    public StudyResults withClaims(List<StudyClaims.Claim> newClaims) {
        return new StudyResults(runs, exits, opt, atFractions, relativeErrorIncreaseVsOpt,
                geometricMeanValidationLoss, newClaims);
    }

    /** The results of the plan's runs, given each run's report by folder name; no claims (see {@link #read}). */
    public static StudyResults of(StudyPlan plan, Map<String, RunReport> reports) {
        StudyConfig config = plan.config();
        List<RunResult> runs = new ArrayList<>();
        Map<String, List<RunReport>> byWeighting = new LinkedHashMap<>();
        Map<String, List<RunReport>> optByFraction = new LinkedHashMap<>();
        for (StudyPlan.PlannedRun run : plan.runs()) {
            RunReport report = reports.get(run.folder());
            if (report == null) {
                throw new IllegalArgumentException("run " + run.folder() + " has no report");
            }
            runs.add(runResult(run, report));
            if (run.isOpt()) {
                optByFraction.computeIfAbsent(StudyPlan.fractionKey(run.fraction()), k -> new ArrayList<>()).add(report);
            } else {
                byWeighting.computeIfAbsent(run.arm(), k -> new ArrayList<>()).add(report);
            }
        }
        Map<String, ExitStats> opt = new LinkedHashMap<>();
        for (Map.Entry<String, List<RunReport>> e : optByFraction.entrySet()) {
            List<ExitResult> finals = new ArrayList<>();
            for (RunReport r : e.getValue()) {
                finals.add(r.exits().get(r.exits().size() - 1));
            }
            opt.put(e.getKey(), stats(finals, e.getKey()));
        }
        Map<String, List<ExitStats>> exits = new LinkedHashMap<>();
        Map<String, Map<String, ExitStats>> atFractions = new LinkedHashMap<>();
        Map<String, Map<String, Double>> relative = new LinkedHashMap<>();
        Map<String, List<Double>> geoMeans = new LinkedHashMap<>();
        for (Map.Entry<String, List<RunReport>> e : byWeighting.entrySet()) {
            String w = e.getKey();
            List<ExitStats> perExit = exitStats(w, e.getValue());
            exits.put(w, perExit);
            Map<String, ExitStats> at = new LinkedHashMap<>();
            Map<String, Double> rel = new LinkedHashMap<>();
            double sum = 0;
            boolean defined = true;
            for (double f : config.fractions()) {
                String key = StudyPlan.fractionKey(f);
                int unit = config.unitsAt(f);
                ExitStats exit = perExit.stream().filter(x -> x.afterUnit() == unit).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("weighting " + w + ": no exit after unit "
                                + unit + " for fraction " + key));
                at.put(key, exit);
                Double increase = relativeIncrease(exit.meanTestError(), opt.get(key).meanTestError());
                rel.put(key, increase);
                defined &= increase != null;
                sum += increase == null ? 0 : increase;
            }
            rel.put(MEAN, defined ? sum / config.fractions().size() : null);
            atFractions.put(w, at);
            relative.put(w, rel);
            geoMeans.put(w, geometricMeanValidationLoss(e.getValue()));
        }
        return new StudyResults(runs, exits, opt, atFractions, relative, geoMeans, List.of());
    }

    /** 100 (err - errOpt) / errOpt; null when OPT made no error, where it is undefined. */
    static Double relativeIncrease(double err, double errOpt) {
        return errOpt > 0 ? 100.0 * (err - errOpt) / errOpt : null;
    }

    private static RunResult runResult(StudyPlan.PlannedRun run, RunReport report) {
        List<RunExit> exits = new ArrayList<>();
        for (ExitResult x : report.exits()) {
            exits.add(new RunExit(x.index(), x.afterUnit(), x.macs(), x.cumulativeMacs(), x.testError()));
        }
        return new RunResult(run.folder(), run.arm(), run.seed(), run.fraction(), run.units(),
                report.trainingSeconds(), exits);
    }

    private static List<ExitStats> exitStats(String weighting, List<RunReport> seeds) {
        int k = seeds.get(0).exits().size();
        for (RunReport r : seeds) {
            if (r.exits().size() != k) {
                throw new IllegalArgumentException("weighting " + weighting + ": run " + r.name() + " has "
                        + r.exits().size() + " exits, another seed has " + k);
            }
        }
        List<ExitStats> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            List<ExitResult> exit = new ArrayList<>();
            for (RunReport r : seeds) {
                exit.add(r.exits().get(i));
            }
            out.add(stats(exit, weighting));
        }
        return out;
    }

    /** The same exit of several seeds. */
    private static ExitStats stats(List<ExitResult> seeds, String what) {
        ExitResult first = seeds.get(0);
        List<Double> errors = new ArrayList<>();
        for (ExitResult x : seeds) {
            if (x.afterUnit() != first.afterUnit()) {
                throw new IllegalArgumentException(what + ": exit " + first.index() + " follows unit "
                        + first.afterUnit() + " in one seed and unit " + x.afterUnit() + " in another");
            }
            errors.add(x.testError());
        }
        return new ExitStats(first.index(), first.afterUnit(), first.cumulativeMacs(), mean(errors),
                sampleStd(errors), errors);
    }

    static double mean(List<Double> values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.size();
    }

    /** Sample standard deviation (n - 1); null for fewer than two values. */
    static Double sampleStd(List<Double> values) {
        if (values.size() < 2) {
            return null;
        }
        double m = mean(values);
        double ss = 0;
        for (double v : values) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (values.size() - 1));
    }

    /** Per epoch, over the epochs every seed has: exp(mean over exits of log loss), averaged over seeds. */
    static List<Double> geometricMeanValidationLoss(List<RunReport> seeds) {
        int epochs = Integer.MAX_VALUE;
        for (RunReport r : seeds) {
            epochs = Math.min(epochs, r.history().size());
        }
        List<Double> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            List<Double> perSeed = new ArrayList<>();
            for (RunReport r : seeds) {
                perSeed.add(geometricMean(r.history().get(e)));
            }
            out.add(mean(perSeed));
        }
        return out;
    }

    private static double geometricMean(EpochSummary epoch) {
        double[] losses = epoch.validationLoss();
        double logSum = 0;
        for (double loss : losses) {
            logSum += Math.log(loss);
        }
        return losses.length == 0 ? Double.NaN : Math.exp(logSum / losses.length);
    }
}
