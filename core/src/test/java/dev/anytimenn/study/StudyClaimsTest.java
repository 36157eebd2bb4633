package dev.anytimenn.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.anytimenn.eval.report.ExitResult;
import dev.anytimenn.eval.report.ReportFiles;
import dev.anytimenn.eval.report.RunReport;
import dev.anytimenn.eval.report.TestPredictions;
import dev.anytimenn.study.StudyClaims.Claim;
import dev.anytimenn.study.StudyClaims.Comparison;
import dev.anytimenn.study.StudyClaims.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registered decision rule on fake run folders (hand-made report.json and test-predictions.json,
 * no training). Each run misclassifies the first w of {@link #IMAGES} test images at an exit, so two
 * runs with w_A < w_B give b = w_B - w_A, c = 0 and McNemar p = 2^(1 - b): a gap of 2 images is
 * noise (p = 0.5), one of 10 or more is significant (p <= 0.002).
 */
class StudyClaimsTest {

    static final int IMAGES = 1000;
    static final int UNITS = 12;
    /** More exits than fractions, so that fraction 1/4 (unit 3) is the second exit, not the first. */
    static final int[] AFTER_UNIT = {2, 3, 4, 6, 9, 12};
    static final double[] FRACTIONS = {0.25, 0.5, 0.75, 1.0};
    static final List<Long> SEEDS = List.of(1L, 2L, 3L);

    static final List<StudyArm> ARMS = List.of(new StudyArm("const", "const", null),
            new StudyArm("oscillating", "oscillating", null), new StudyArm("adaloss", "adaloss", null),
            new StudyArm("adaloss-mu0.99-e1", "adaloss:mu=0.99,finalBonus=1", null),
            new StudyArm("adaloss-distill", "adaloss", "3:0.5"));

    /** Images wrong at 1/4, 1/2, 3/4 and the final exit: every registered claim holds, by wide margins. */
    static Map<String, int[]> asClaimed() {
        Map<String, int[]> w = new HashMap<>();
        w.put("const", new int[] {200, 150, 130, 120});
        w.put("adaloss", new int[] {260, 160, 100, 110});
        w.put("adaloss-distill", new int[] {230, 140, 105, 112}); // final: 2 images worse, noise
        w.put("oscillating", new int[] {280, 170, 110, 90});
        w.put("adaloss-mu0.99-e1", new int[] {270, 165, 102, 105});
        return w;
    }

    /** The same errors in every seed, except where {@code seedOverrides} says otherwise. */
    static void writeStudy(Path runs, Map<String, int[]> wrong, Map<String, int[]> seedOverrides) throws Exception {
        for (StudyArm arm : ARMS) {
            for (long seed : SEEDS) {
                int[] w = seedOverrides.getOrDefault(arm.folder(seed), wrong.get(arm.name()));
                writeRun(runs.resolve(arm.folder(seed)), w);
            }
        }
    }

    /** A run whose exit at fraction f misclassifies the first w[f] images; other exits half of them. */
    static void writeRun(Path dir, int[] wrongAtFractions) throws Exception {
        int[] labels = new int[IMAGES];
        int[][] predicted = new int[AFTER_UNIT.length][IMAGES];
        List<ExitResult> exits = new ArrayList<>();
        for (int k = 0; k < AFTER_UNIT.length; k++) {
            int w = IMAGES / 2;
            for (int f = 0; f < FRACTIONS.length; f++) {
                if (Math.round(FRACTIONS[f] * UNITS) == AFTER_UNIT[k]) {
                    w = wrongAtFractions[f];
                }
            }
            for (int i = 0; i < IMAGES; i++) {
                labels[i] = i % 10;
                predicted[k][i] = i < w ? (labels[i] + 1) % 10 : labels[i];
            }
            exits.add(new ExitResult(k + 1, AFTER_UNIT[k], 1000, 1000L * (k + 1), 1 - (double) w / IMAGES));
        }
        ReportFiles.writeJson(new RunReport(dir.getFileName().toString(), "2026-01-01T00:00:00Z", "fake", IMAGES,
                null, exits, null, 1.0), dir.resolve(ReportFiles.JSON));
        TestPredictions.of(labels, predicted).write(dir.resolve(TestPredictions.FILE));
    }

    static Map<String, Claim> byId(List<Claim> claims) {
        Map<String, Claim> m = new HashMap<>();
        claims.forEach(c -> m.put(c.id(), c));
        return m;
    }

    @Test
    void everyClaimIsSupportedWhenEverySeedShowsItSignificantly(@TempDir Path runs) throws Exception {
        writeStudy(runs, asClaimed(), Map.of());

        List<Claim> claims = StudyClaims.judge(runs, ARMS, SEEDS, UNITS);

        assertThat(claims).extracting(Claim::id).containsExactly("1", "2a", "2b", "3", "4");
        assertThat(claims).extracting(Claim::verdict).containsOnly(Verdict.SUPPORTED);
        Comparison one = claims.get(0).comparisons().get(0);
        assertThat(one.label()).isEqualTo("const vs adaloss at 1/4");
        assertThat(one.seeds()).hasSize(3);
        StudyClaims.SeedRow row = one.seeds().get(0);
        assertThat(row.seed()).isEqualTo(1);
        assertThat(row.errorPercentA()).isCloseTo(20.0, within(1e-12));
        assertThat(row.errorPercentB()).isCloseTo(26.0, within(1e-12));
        assertThat(row.differencePoints()).isCloseTo(-6.0, within(1e-12));
        assertThat(row.b()).isEqualTo(60);
        assertThat(row.c()).isZero();
        assertThat(row.mcNemarP()).isEqualTo(McNemar.p(60, 0));
        assertThat(one.meanDifferencePoints()).isCloseTo(-6.0, within(1e-12));
        assertThat(one.pairedTP()).as("identical seeds: no spread, no t").isNull();
        assertThat(claims.get(0).reason()).isEqualTo("lower in all 3 seeds, McNemar p < 0.05 in each");

        Claim three = byId(claims).get("3");
        assertThat(three.comparisons()).extracting(Comparison::fraction).containsExactly(0.25, 0.5, 1.0);
        assertThat(three.comparisons().get(2).verdict()).isEqualTo(Verdict.SUPPORTED);
        assertThat(three.comparisons().get(2).seeds().get(0).differencePoints()).isCloseTo(0.2, within(1e-12));
        assertThat(three.reason()).isEqualTo("all 3 comparisons hold");
        // claim 4: oscillating against each of the 4 other arms at the final exit
        assertThat(byId(claims).get("4").comparisons()).extracting(Comparison::armB)
                .containsExactly("const", "adaloss", "adaloss-mu0.99-e1", "adaloss-distill");
    }

    @Test
    void oneSeedThatDisagreesLeavesAClaimNotSupported(@TempDir Path runs) throws Exception {
        // seed 3: AdaLoss's final exit 5 images worse than CONST's (p = 0.0625); 2a untouched
        writeStudy(runs, asClaimed(), Map.of("adaloss-seed3", new int[] {260, 160, 100, 125}));

        Map<String, Claim> claims = byId(StudyClaims.judge(runs, ARMS, SEEDS, UNITS));

        assertThat(claims.get("2a").verdict()).isEqualTo(Verdict.SUPPORTED);
        Claim twoB = claims.get("2b");
        assertThat(twoB.verdict()).isEqualTo(Verdict.NOT_SUPPORTED);
        assertThat(twoB.reason()).isEqualTo("lower with p < 0.05 in 2 of 3 seeds (all needed); seed 3: +0.50 points,"
                + " p = 0.063");
        Comparison c = twoB.comparisons().get(0);
        assertThat(c.seeds().get(2).b()).isZero();
        assertThat(c.seeds().get(2).c()).isEqualTo(5);
        // differences -1, -1, +0.5: mean -0.5, sd sqrt 0.75, t = -0.5 / 0.5 = -1, df 2
        assertThat(c.meanDifferencePoints()).isCloseTo(-0.5, within(1e-12));
        assertThat(c.pairedT()).isCloseTo(-1, within(1e-12));
        assertThat(c.pairedTP()).isCloseTo(1 - 1 / Math.sqrt(3), within(1e-12));
        // claim 3's final exit only needs "not significantly higher": distill's 112 against 125 is lower
        assertThat(claims.get("3").verdict()).isEqualTo(Verdict.SUPPORTED);
    }

    @Test
    void theOppositeSignSignificantInEverySeedContradicts(@TempDir Path runs) throws Exception {
        Map<String, int[]> w = asClaimed();
        w.put("const", new int[] {300, 150, 130, 120}); // CONST now worse than AdaLoss (260) at 1/4
        w.put("adaloss-distill", new int[] {230, 140, 105, 150}); // final exit 40 images worse than AdaLoss
        w.put("adaloss-mu0.99-e1", new int[] {270, 165, 102, 91}); // one image behind oscillating: noise

        Map<String, Claim> claims = byId(StudyClaims.judge(writeThen(runs, w), ARMS, SEEDS, UNITS));

        assertThat(claims.get("1").verdict()).isEqualTo(Verdict.CONTRADICTED);
        assertThat(claims.get("1").reason()).isEqualTo("higher in all 3 seeds, McNemar p < 0.05 in each");
        Claim three = claims.get("3");
        assertThat(three.verdict()).isEqualTo(Verdict.CONTRADICTED);
        assertThat(three.comparisons()).extracting(Comparison::verdict)
                .containsExactly(Verdict.SUPPORTED, Verdict.SUPPORTED, Verdict.CONTRADICTED);
        assertThat(three.reason()).startsWith("adaloss-distill vs adaloss at the final exit: significantly higher");
        Claim four = claims.get("4");
        assertThat(four.verdict()).isEqualTo(Verdict.NOT_SUPPORTED);
        assertThat(four.comparisons()).extracting(Comparison::verdict).containsExactly(Verdict.SUPPORTED,
                Verdict.SUPPORTED, Verdict.NOT_SUPPORTED, Verdict.SUPPORTED);
        assertThat(four.reason()).startsWith("oscillating vs adaloss-mu0.99-e1 at the final exit: lower with p < 0.05"
                + " in 0 of 3 seeds");
    }

    @Test
    void aMissingPredictionsFileLeavesItsClaimsNotJudgedAndTheOthersJudged(@TempDir Path runs) throws Exception {
        writeStudy(runs, asClaimed(), Map.of());
        Files.delete(runs.resolve("adaloss-distill-seed2").resolve(TestPredictions.FILE));

        Map<String, Claim> claims = byId(StudyClaims.judge(runs, ARMS, SEEDS, UNITS));

        assertThat(claims.get("1").verdict()).isEqualTo(Verdict.SUPPORTED);
        assertThat(claims.get("3").verdict()).isEqualTo(Verdict.NOT_JUDGED);
        assertThat(claims.get("3").reason()).isEqualTo("not judged: missing runs/adaloss-distill-seed2/"
                + TestPredictions.FILE);
        assertThat(claims.get("4").verdict()).isEqualTo(Verdict.NOT_JUDGED);

        // a seed with no run at all
        Map<String, Claim> moreSeeds = byId(StudyClaims.judge(runs, ARMS, List.of(1L, 2L, 3L, 4L), UNITS));
        assertThat(moreSeeds.get("1").reason()).isEqualTo("not judged: missing runs/const-seed4/report.json");
    }

    @Test
    void predictionsThatDisagreeWithTheReportOrAnExitThatIsNotThereAreNotJudged(@TempDir Path runs)
            throws Exception {
        writeStudy(runs, asClaimed(), Map.of());
        Path constRun = runs.resolve("const-seed1");
        Path other = runs.resolve("tmp");
        writeRun(other, new int[] {201, 150, 130, 120}); // one more wrong image at 1/4 than const's report says
        Files.copy(other.resolve(TestPredictions.FILE), constRun.resolve(TestPredictions.FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Map<String, Claim> claims = byId(StudyClaims.judge(runs, ARMS, SEEDS, UNITS));
        assertThat(claims.get("1").reason()).isEqualTo("not judged: runs/const-seed1: exit 2 misclassifies 201 images"
                + " in test-predictions.json but 200 in report.json");

        // L = 16: fraction 1/4 is unit 4 (an exit), 1/2 unit 8 (none)
        Map<String, Claim> otherDepth = byId(StudyClaims.judge(runs, ARMS, SEEDS, 16));
        assertThat(otherDepth.get("3").reason()).isEqualTo("not judged: runs/adaloss-distill-seed1 has no exit at"
                + " fraction 0.5 of its 16 units (after unit 8)");
    }

    @Test
    void claimsWhoseArmsTheStudyLacksAreLeftOut(@TempDir Path runs) throws Exception {
        writeStudy(runs, asClaimed(), Map.of());
        List<StudyArm> v1 = List.of(new StudyArm("const", "const", null), new StudyArm("oscillating", "oscillating",
                null), new StudyArm("adaloss-mu0.99-e1", "adaloss:mu=0.99,finalBonus=1", null));

        List<Claim> claims = StudyClaims.judge(runs, v1, SEEDS, UNITS);

        assertThat(claims).extracting(Claim::id).containsExactly("4");
        assertThat(claims.get(0).comparisons()).extracting(Comparison::armB)
                .containsExactly("const", "adaloss-mu0.99-e1");
        assertThat(StudyClaims.judge(runs, List.of(new StudyArm("const", "const", null)), SEEDS, UNITS)).isEmpty();
    }

    @Test
    void anArmKeyUsedForSomethingElseIsNotJudgedAsTheRegisteredArm(@TempDir Path runs) throws Exception {
        writeStudy(runs, asClaimed(), Map.of());
        List<StudyArm> arms = new ArrayList<>(ARMS);
        arms.set(2, new StudyArm("adaloss", "adaloss:mu=0.99", null));
        arms.set(4, new StudyArm("adaloss-distill", "adaloss", null));

        Map<String, Claim> claims = byId(StudyClaims.judge(runs, arms, SEEDS, UNITS));

        assertThat(claims.get("1").verdict()).isEqualTo(Verdict.NOT_JUDGED);
        assertThat(claims.get("1").reason()).isEqualTo("not judged: arm adaloss is weighting 'adaloss:mu=0.99' without"
                + " distillation; the claims mean 'adaloss' without distillation");
        assertThat(claims.get("3").verdict()).isEqualTo(Verdict.NOT_JUDGED);
        // the defaults written out are still the primary arm
        arms.set(2, new StudyArm("adaloss", "adaloss:mu=0.9,gamma=0.07", null));
        arms.set(4, new StudyArm("adaloss-distill", "adaloss", "3:0.5"));
        assertThat(StudyClaims.judge(runs, arms, SEEDS, UNITS)).extracting(Claim::verdict)
                .containsOnly(Verdict.SUPPORTED);
    }

    @Test
    void withOneSeedTheRuleStillAppliesAndNoTIsReported() {
        var part = new StudyClaims.Part("a", "b", 0.5, StudyClaims.Expectation.LOWER);
        Comparison c = StudyClaims.judged(part, List.of(new StudyClaims.SeedRow(7, 10, 11, -1, 10, 0,
                McNemar.p(10, 0))));
        assertThat(c.verdict()).isEqualTo(Verdict.SUPPORTED);
        assertThat(c.reason()).isEqualTo("lower in the seed, McNemar p < 0.05 in each");
        assertThat(c.pairedT()).isNull();
        assertThat(c.pairedTP()).isNull();
        // not significant in the one seed
        Comparison noise = StudyClaims.judged(part, List.of(new StudyClaims.SeedRow(7, 10, 10.2, -0.2, 2, 0,
                McNemar.p(2, 0))));
        assertThat(noise.verdict()).isEqualTo(Verdict.NOT_SUPPORTED);
    }

    private static Path writeThen(Path runs, Map<String, int[]> wrong) throws Exception {
        writeStudy(runs, wrong, Map.of());
        return runs;
    }
}
