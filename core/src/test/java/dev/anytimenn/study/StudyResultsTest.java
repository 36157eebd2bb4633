package dev.anytimenn.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anytimenn.data.DataConfig;
import dev.anytimenn.eval.report.EpochSummary;
import dev.anytimenn.eval.report.ErrorCostPlot;
import dev.anytimenn.eval.report.ExitResult;
import dev.anytimenn.eval.report.ReportFiles;
import dev.anytimenn.eval.report.RunReport;
import dev.anytimenn.eval.report.TestPredictions;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study's statistics on hand-made reports (no training): every number worked out by hand. */
class StudyResultsTest {

    static final double EPS = 1e-9;

    /** ResANN n = 4, s = 3: L = 12 units, heads after units 3, 6, 9 and 12, one per fraction. */
    static StudyConfig config() {
        StudyConfig quick = StudyConfig.quick(Path.of("unused"));
        ModelConfig model = new ModelConfig("resann", 4, 4, 3, 10, new InputShape(1, 28, 28));
        return new StudyConfig("hand", model, quick.training(), DataConfig.fashionMnist(Path.of("unused")),
                StudyArm.of(List.of("const", "adaloss")), List.of(1L, 2L), StudyConfig.FRACTIONS);
    }

    /** Test errors per seed: OPT by fraction, the ANNs by exit. */
    static final Map<String, double[][]> ERRORS = Map.of(
            // fraction -> {seed 1, seed 2}: means 0.25, 0.1, 0.1, 0.05
            "opt", new double[][] {{0.20, 0.10, 0.08, 0.05}, {0.30, 0.10, 0.12, 0.05}},
            // means 0.25, 0.12, 0.12, 0.06: +0 %, +20 %, +20 %, +20 %, mean +15 %
            "const", new double[][] {{0.25, 0.11, 0.12, 0.06}, {0.25, 0.13, 0.12, 0.06}},
            // means 0.35, 0.1, 0.1, 0.0525: +40 %, +0 %, +0 %, +5 %, mean +11.25 %
            "adaloss", new double[][] {{0.30, 0.10, 0.09, 0.05}, {0.40, 0.10, 0.11, 0.055}});

    /** Validation losses of the const runs, epoch by epoch, seed 1 then seed 2. */
    static final double[][][] CONST_LOSSES = {
        {{1, 4, 2, 8}, {1, 1, 1, 1}},   // geometric means 64^(1/4) = 2 sqrt 2, then 1
        {{2, 2, 2, 2}, {4, 1, 1, 1}}};  // 2, then 4^(1/4) = sqrt 2

    static void writeReports(StudyPlan plan, Path out) throws Exception {
        for (StudyPlan.PlannedRun run : plan.runs()) {
            int seed = (int) run.seed() - 1;
            List<ExitResult> exits = new ArrayList<>();
            int heads = run.units() / 3;
            for (int k = 1; k <= heads; k++) {
                double err = run.isOpt() ? (k == heads ? ERRORS.get("opt")[seed][heads - 1] : 0.5)
                        : ERRORS.get(run.arm())[seed][k - 1];
                exits.add(new ExitResult(k, 3 * k, 1000, 1000L * k, 1 - err));
            }
            List<EpochSummary> history = new ArrayList<>();
            for (int e = 0; e < 2; e++) {
                double[] losses = run.arm().equals("const") ? CONST_LOSSES[seed][e] : new double[] {1, 1, 1, 1};
                history.add(new EpochSummary(e + 1, 1, 0.1, 1, 1, new double[heads], losses, new double[heads]));
            }
            RunReport report = new RunReport(run.folder(), "2026-01-01T00:00:00Z", "fashion-mnist", 100, null, exits,
                    history, 2.5);
            ReportFiles.writeJson(report, StudyPlan.runDir(out, run).resolve(ReportFiles.JSON));
        }
    }

    @Test
    void relativeIncreaseMeansSpreadAndGeometricMeansMatchTheHandWorkedValues(@TempDir Path out) throws Exception {
        StudyPlan plan = StudyPlan.of(config());
        writeReports(plan, out);

        StudyResults results = StudyResults.read(plan, out);

        Map<String, Double> constRel = results.relativeErrorIncreaseVsOpt().get("const");
        assertThat(constRel.keySet()).containsExactly("0.25", "0.5", "0.75", "1.0", "mean");
        assertThat(constRel.get("0.25")).isCloseTo(0, within(EPS));
        assertThat(constRel.get("0.5")).isCloseTo(20, within(EPS));
        assertThat(constRel.get("0.75")).isCloseTo(20, within(EPS));
        assertThat(constRel.get("1.0")).isCloseTo(20, within(EPS));
        assertThat(constRel.get("mean")).isCloseTo(15, within(EPS));
        Map<String, Double> adaRel = results.relativeErrorIncreaseVsOpt().get("adaloss");
        assertThat(adaRel.get("0.25")).isCloseTo(40, within(EPS));
        assertThat(adaRel.get("0.5")).isCloseTo(0, within(EPS));
        assertThat(adaRel.get("0.75")).isCloseTo(0, within(EPS));
        assertThat(adaRel.get("1.0")).isCloseTo(5, within(EPS));
        assertThat(adaRel.get("mean")).isCloseTo(11.25, within(EPS));

        assertThat(results.opt().get("0.25").meanTestError()).isCloseTo(0.25, within(EPS));
        assertThat(results.opt().get("0.25").afterUnit()).isEqualTo(3);
        // sample std of {0.20, 0.30}: sqrt(2 * 0.05^2 / 1) = 0.05 sqrt 2
        assertThat(results.opt().get("0.25").stdTestError()).isCloseTo(0.05 * Math.sqrt(2), within(EPS));
        assertThat(results.opt().get("0.5").stdTestError()).isCloseTo(0, within(EPS));
        StudyResults.ExitStats constExit2 = results.exits().get("const").get(1);
        assertThat(constExit2.afterUnit()).isEqualTo(6);
        assertThat(constExit2.cumulativeMacs()).isEqualTo(2000);
        assertThat(constExit2.meanTestError()).isCloseTo(0.12, within(EPS));
        assertThat(constExit2.stdTestError()).isCloseTo(Math.sqrt(0.0002), within(EPS));
        assertThat(results.atFractions().get("adaloss").get("1.0").meanTestError()).isCloseTo(0.0525, within(EPS));

        // (2 sqrt 2 + 2) / 2 and (1 + sqrt 2) / 2
        assertThat(results.geometricMeanValidationLoss().get("const"))
                .containsExactly((2 * Math.sqrt(2) + 2) / 2, (1 + Math.sqrt(2)) / 2);
        assertThat(results.geometricMeanValidationLoss().get("adaloss")).containsExactly(1.0, 1.0);
        assertThat(results.runs()).hasSize(12);

        StudyReport.write(plan.config(), results, 3.0, out);
        JsonNode json = Jsons.MAPPER.readTree(out.resolve(StudyReport.JSON).toFile());
        assertThat(json.at("/relativeErrorIncreaseVsOpt/const/mean").asDouble()).isCloseTo(15, within(EPS));
        assertThat(json.at("/config/name").asText()).isEqualTo("hand");
        String md = Files.readString(out.resolve(StudyReport.MARKDOWN));
        assertThat(md).contains("| Weighting | 1/4 | 1/2 | 3/4 | 1 | mean |", "| const | +0.0 | +20.0 | +20.0 | +20.0 | +15.0 |",
                "| adaloss | +40.0 | +0.0 | +0.0 | +5.0 | +11.3 |", "| OPT | 25.00 ± 7.07 | 10.00 ± 0.00 |",
                "| const | 2.4142 | 1.2071 |");
        assertThat(out.resolve(StudyReport.PNG)).isNotEmptyFile();
    }

    /** 200 test images: each ANN exit misclassifies the first err * 200, as its report says. */
    static void writePredictions(StudyPlan plan, Path out) throws Exception {
        for (StudyPlan.PlannedRun run : plan.runs()) {
            if (run.isOpt()) {
                continue;
            }
            double[] errors = ERRORS.get(run.arm())[(int) run.seed() - 1];
            int[] labels = new int[200];
            int[][] predicted = new int[errors.length][200];
            for (int k = 0; k < errors.length; k++) {
                long wrong = Math.round(errors[k] * 200);
                for (int i = 0; i < 200; i++) {
                    labels[i] = i % 10;
                    predicted[k][i] = i < wrong ? (labels[i] + 3) % 10 : labels[i];
                }
            }
            TestPredictions.of(labels, predicted).write(StudyPlan.runDir(out, run).resolve(TestPredictions.FILE));
        }
    }

    @Test
    void theClaimsAreJudgedFromThePredictionsAndWrittenToStudyMdAndJson(@TempDir Path out) throws Exception {
        StudyPlan plan = StudyPlan.of(config());
        writeReports(plan, out);
        writePredictions(plan, out);

        StudyResults results = StudyResults.read(plan, out);

        // claim 1: CONST 50 and 50 wrong at 1/4 against AdaLoss 60 and 80: b = 10 (p = 2^-9), 30
        // 2a: AdaLoss 18 and 22 against CONST 24 and 24: b = 6 (p = 2^-5), 2 (p = 0.5)
        // 2b: AdaLoss 10 and 11 against CONST 12 and 12: b = 2, 1
        assertThat(results.claims()).extracting(StudyClaims.Claim::id).containsExactly("1", "2a", "2b");
        assertThat(results.claims()).extracting(StudyClaims.Claim::verdict).containsExactly(
                StudyClaims.Verdict.SUPPORTED, StudyClaims.Verdict.NOT_SUPPORTED, StudyClaims.Verdict.NOT_SUPPORTED);
        StudyClaims.Comparison one = results.claims().get(0).comparisons().get(0);
        assertThat(one.seeds()).extracting(StudyClaims.SeedRow::b).containsExactly(10, 30);
        assertThat(one.seeds().get(0).mcNemarP()).isCloseTo(Math.pow(2, -9), within(1e-15));
        // differences -5 and -15 points: mean -10, t = -10 / (sqrt 50 / sqrt 2) = -2, df 1
        assertThat(one.meanDifferencePoints()).isCloseTo(-10, within(EPS));
        assertThat(one.pairedTP()).isCloseTo(1 - 2 * Math.atan(2) / Math.PI, within(1e-12));
        assertThat(results.claims().get(1).reason()).isEqualTo("lower with p < 0.05 in 1 of 2 seeds (all needed);"
                + " seed 2: -1.00 points, p = 0.500");

        StudyReport.write(plan.config(), results, 3.0, out);
        String md = Files.readString(out.resolve(StudyReport.MARKDOWN));
        assertThat(md).contains("## Claims (pre-registered)",
                "| 1. CONST beats AdaLoss at 1/4 (lower test error at exit 1). | SUPPORTED | lower in all 2 seeds,"
                        + " McNemar p < 0.05 in each |",
                "| 2a. AdaLoss is closer to OPT than CONST at 3/4 (lower test error at exit 3). | NOT SUPPORTED |",
                "| 1 | const vs adaloss at 1/4 (A lower) | 1 | 25.00 | 30.00 | -5.00 | 10 | 0 | 0.002 |  |",
                "| 1 | const vs adaloss at 1/4 (A lower) | mean | 25.00 | 35.00 | -10.00 |  |  | paired t: 0.295 | SUPPORTED |");
        assertThat(md.indexOf("## Claims")).isLessThan(md.indexOf("## Relative"));
        JsonNode json = Jsons.MAPPER.readTree(out.resolve(StudyReport.JSON).toFile());
        assertThat(json.at("/claims/0/verdict").asText()).isEqualTo("SUPPORTED");
        assertThat(json.at("/claims/0/comparisons/0/seeds/1/b").asInt()).isEqualTo(30);
        assertThat(json.at("/claims/2/comparisons/0/fraction").asDouble()).isEqualTo(1.0);
    }

    @Test
    void withoutPredictionsTheClaimsAreNotJudgedAndTheRestOfTheStudyIsWritten(@TempDir Path out) throws Exception {
        StudyPlan plan = StudyPlan.of(config());
        writeReports(plan, out);

        StudyResults results = StudyResults.read(plan, out);
        StudyReport.write(plan.config(), results, 3.0, out);

        assertThat(results.claims()).extracting(StudyClaims.Claim::verdict)
                .containsOnly(StudyClaims.Verdict.NOT_JUDGED);
        assertThat(results.claims().get(0).reason()).isEqualTo("not judged: missing runs/const-seed1/"
                + TestPredictions.FILE);
        assertThat(Files.readString(out.resolve(StudyReport.MARKDOWN))).contains("| NOT JUDGED | not judged: missing",
                "| Weighting | 1/4 | 1/2 | 3/4 | 1 | mean |");
    }

    @Test
    void thePlotShowsEachSeriesMeanWithItsRangeOverSeedsShiftedApart(@TempDir Path out) throws Exception {
        StudyPlan plan = StudyPlan.of(config());
        writeReports(plan, out);
        StudyResults results = StudyResults.read(plan, out);

        List<ErrorCostPlot.Series> series = StudyReport.series(results);

        assertThat(series).extracting(ErrorCostPlot.Series::name).containsExactly("const", "adaloss",
                StudyReport.OPT_SERIES);
        ErrorCostPlot.Series adaloss = series.get(1);
        // exit 1 of adaloss: errors 30 % and 40 %, mean 35 %
        assertThat(adaloss.errorPercent()[0]).isCloseTo(35, within(EPS));
        assertThat(adaloss.low()[0]).isCloseTo(30, within(EPS));
        assertThat(adaloss.high()[0]).isCloseTo(40, within(EPS));
        // 3 series around the true cost: const 0.006 x 4000 MACs to the left, adaloss on it, OPT to the right
        double step = StudyReport.DODGE_SHARE * 4000 / 1e6;
        assertThat(series.get(0).mmacs()[0]).isCloseTo(1000 / 1e6 - step, within(1e-12));
        assertThat(adaloss.mmacs()[0]).isCloseTo(1000 / 1e6, within(1e-12));
        assertThat(series.get(2).mmacs()[0]).isCloseTo(1000 / 1e6 + step, within(1e-12));
        assertThat(series.get(2).connect()).isFalse();
        // OPT at 1/4: 20 % and 30 %
        assertThat(series.get(2).low()[0]).isCloseTo(20, within(EPS));
        assertThat(series.get(2).high()[0]).isCloseTo(30, within(EPS));
    }

    @Test
    void oneSeedHasNoSpreadAndAnErrorlessOptLeavesTheIncreaseUndefined() {
        assertThat(StudyResults.sampleStd(List.of(0.3))).isNull();
        assertThat(StudyResults.relativeIncrease(0.1, 0.0)).isNull();
        assertThat(StudyResults.relativeIncrease(0.12, 0.1)).isCloseTo(20, within(EPS));
    }
}
