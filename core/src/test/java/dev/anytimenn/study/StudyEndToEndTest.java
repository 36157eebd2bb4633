package dev.anytimenn.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.anytimenn.cli.CliRun;
import dev.anytimenn.data.SyntheticIdx;
import dev.anytimenn.eval.report.ExitResult;
import dev.anytimenn.eval.report.ReportFiles;
import dev.anytimenn.eval.report.RunReport;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.train.RunQueue;
import dev.anytimenn.train.TrainConfig;
import dev.anytimenn.weighting.LossWeightings;
import dev.anytimenn.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick study: cut to 2 weightings and 2 fractions, trained, reported and re-run; and whole, from the CLI. */
class StudyEndToEndTest {

    @Test
    void trainsEveryRunWritesTheReportsAndSkipsFinishedRunsWhenRunAgain(@TempDir Path temp) throws Exception {
        Path data = SyntheticIdx.writeLearnable(temp.resolve("data"), 500, 200, 5);
        StudyConfig quick = StudyConfig.quick(data);
        TrainConfig t = quick.training();
        TrainConfig small = new TrainConfig(1, 64, t.lr(), t.momentum(), t.nesterov(), t.weightDecay(), t.schedule(),
                0, 1, 200, 300, 0, false, "const");
        StudyConfig config = quick.withTraining(small).with(StudyArm.of(List.of("const", "adaloss")), List.of(1L, 2L),
                List.of(0.5, 1.0));
        StudyPlan plan = StudyPlan.of(config);
        Path out = temp.resolve("study");
        List<String> lines = new ArrayList<>();
        RunQueue runner = new RunQueue(Device.cpu(), TrainingListener.SILENT, lines::add);

        RunQueue.Outcome first = runner.run(plan.runs(), StudyPlan.runsDir(out));
        StudyReport.write(config, StudyResults.read(plan, out), 1.0, out);

        assertThat(first).isEqualTo(new RunQueue.Outcome(8, 0, 0));
        assertThat(lines).hasSize(16);
        assertThat(lines.get(0)).isEqualTo("[1/8] opt 0.5 seed 1: training; ETA after the first run");
        assertThat(lines.get(4)).matches("\\[3/8\\] const seed 1: training; ETA (< 1 min|\\d+ min)");
        assertThat(lines.get(5)).matches("\\[3/8\\] const seed 1 done in \\d+ s; ETA .*");
        assertThat(lines.get(15)).endsWith("all done");
        JsonNode json = Jsons.MAPPER.readTree(out.resolve(StudyReport.JSON).toFile());
        JsonNode relative = json.get("relativeErrorIncreaseVsOpt");
        assertThat(relative.fieldNames()).toIterable().containsExactly("const", "adaloss");
        for (String w : List.of("const", "adaloss")) {
            assertThat(relative.get(w).fieldNames()).toIterable().containsExactly("0.5", "1.0", "mean");
            double sum = 0;
            for (double f : List.of(0.5, 1.0)) {
                double expected = recomputed(out, w, f, config.unitsAt(f));
                assertThat(relative.get(w).get(StudyPlan.fractionKey(f)).asDouble()).isCloseTo(expected, within(1e-9));
                sum += expected;
            }
            assertThat(relative.get(w).get("mean").asDouble()).isCloseTo(sum / 2, within(1e-9));
        }
        assertThat(json.get("runs")).hasSize(8);
        assertThat(json.at("/geometricMeanValidationLoss/adaloss")).hasSize(1);
        String md = Files.readString(out.resolve(StudyReport.MARKDOWN));
        assertThat(md).contains("| Weighting | 1/2 | 1 | mean |", "| const |", "| adaloss |", "| OPT |",
                "| Weighting | epoch 1 |");
        assertThat(out.resolve(StudyReport.PNG)).isNotEmptyFile();
        assertThat(out.resolve(StudyReport.SVG)).isNotEmptyFile();

        // again: nothing is retrained
        Map<Path, FileTime> times = reportTimes(plan, out);
        lines.clear();
        assertThat(runner.run(plan.runs(), StudyPlan.runsDir(out))).isEqualTo(new RunQueue.Outcome(0, 0, 8));
        assertThat(reportTimes(plan, out)).isEqualTo(times);
        assertThat(lines).hasSize(8).allMatch(l -> l.endsWith("already done, skipped"));

        // a run with a checkpoint but no report is resumed (here only re-evaluated: it had finished)
        StudyPlan.PlannedRun cut = plan.runs().get(7);
        Files.delete(StudyPlan.runDir(out, cut).resolve(ReportFiles.JSON));
        assertThat(runner.run(plan.runs(), StudyPlan.runsDir(out))).isEqualTo(new RunQueue.Outcome(0, 1, 7));
        assertThat(StudyPlan.runDir(out, cut).resolve(ReportFiles.JSON)).isNotEmptyFile();

        // the command line on the finished study: skips every run, prints the table and the folder
        Path file = temp.resolve("small-study.json");
        config.save(file);
        CliRun cli = CliRun.of("study", "--config", file.toString(), "--out", out.toString());
        assertThat(cli.code()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("[8/8] adaloss seed 2 already done, skipped", "Weighting", "1/2", "mean",
                "adaloss", "study.json, study.md and study.png in " + out);

        // a study whose recipe changed refuses folders trained with the old one
        StudyConfig changed = config.withTraining(small.withEpochs(2));
        assertThatThrownBy(() -> runner.run(StudyPlan.of(changed).runs(), StudyPlan.runsDir(out))).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("opt-0.5-seed1").hasMessageContaining("another configuration");
    }

    @Test
    void theQuickStudyOnTheCommandLineFillsEveryRowAndColumnFromTheRunsReports(@TempDir Path temp) throws Exception {
        Path data = SyntheticIdx.writeLearnable(temp.resolve("data"), 1000, 200, 7);
        Path out = temp.resolve("quick");

        CliRun cli = CliRun.of("study", "--quick", "--data", data.toString(), "--out", out.toString());

        assertThat(cli.code()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("[20/20] adaloss-updateEvery8 seed 2 done in", "all done");
        StudyConfig quick = StudyConfig.quick(data);
        JsonNode relative = Jsons.MAPPER.readTree(out.resolve(StudyReport.JSON).toFile())
                .get("relativeErrorIncreaseVsOpt");
        assertThat(relative.fieldNames()).toIterable().containsExactlyElementsOf(quick.armNames());
        String md = Files.readString(out.resolve(StudyReport.MARKDOWN));
        assertThat(md).contains("| Weighting | 1/4 | 1/2 | 3/4 | 1 | mean |");
        for (String w : quick.armNames()) {
            assertThat(relative.get(w).fieldNames()).toIterable()
                    .containsExactly("0.25", "0.5", "0.75", "1.0", "mean");
            double sum = 0;
            for (double f : StudyConfig.FRACTIONS) {
                double expected = recomputed(out, w, f, quick.unitsAt(f));
                assertThat(relative.get(w).get(StudyPlan.fractionKey(f)).asDouble()).as(w + " at " + f)
                        .isCloseTo(expected, within(1e-9));
                sum += expected;
            }
            assertThat(relative.get(w).get("mean").asDouble()).isCloseTo(sum / 4, within(1e-9));
            assertThat(md).contains("| " + w + " | ");
        }
        assertThat(md).contains("| OPT | ");
    }

    /** 100 (err - err_OPT) / err_OPT of the mean errors over seeds 1 and 2, straight from the report.json files. */
    private static double recomputed(Path out, String weighting, double fraction, int unit) throws Exception {
        double ann = 0;
        double opt = 0;
        for (long seed : List.of(1L, 2L)) {
            RunReport a = ReportFiles.readJson(out.resolve("runs/" + LossWeightings.fileName(weighting) + "-seed" + seed
                    + "/report.json"));
            ann += a.exits().stream().filter(e -> e.afterUnit() == unit).findFirst().orElseThrow().testError() / 2;
            RunReport o = ReportFiles.readJson(out.resolve("runs/opt-" + fraction + "-seed" + seed + "/report.json"));
            ExitResult last = o.exits().get(o.exits().size() - 1);
            assertThat(last.afterUnit()).isEqualTo(unit);
            opt += last.testError() / 2;
        }
        return 100 * (ann - opt) / opt;
    }

    private static Map<Path, FileTime> reportTimes(StudyPlan plan, Path out) throws Exception {
        Map<Path, FileTime> times = new HashMap<>();
        for (StudyPlan.PlannedRun run : plan.runs()) {
            Path json = StudyPlan.runDir(out, run).resolve(ReportFiles.JSON);
            times.put(json, Files.getLastModifiedTime(json));
        }
        return times;
    }
}
