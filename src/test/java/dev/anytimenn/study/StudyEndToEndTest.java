package dev.anytimenn.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.anytimenn.cli.CliRun;
import dev.anytimenn.data.SyntheticIdx;
import dev.anytimenn.eval.report.ExitResult;
import dev.anytimenn.eval.report.Jsons;
import dev.anytimenn.eval.report.ReportFiles;
import dev.anytimenn.eval.report.RunReport;
import dev.anytimenn.train.TrainConfig;
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

/** The quick study, cut to 2 weightings, 2 fractions and 300 images, trained, reported, then re-run. */
class StudyEndToEndTest {

    @Test
    void trainsEveryRunWritesTheReportsAndSkipsFinishedRunsWhenRunAgain(@TempDir Path temp) throws Exception {
        Path data = SyntheticIdx.writeLearnable(temp.resolve("data"), 500, 200, 5);
        StudyConfig quick = StudyConfig.quick(data);
        TrainConfig t = quick.training();
        TrainConfig small = new TrainConfig(1, 64, t.lr(), t.momentum(), t.nesterov(), t.weightDecay(), t.schedule(),
                0, 1, 200, 300, 0, false, "const", t.adaLoss());
        StudyConfig config = quick.withTraining(small).with(List.of("const", "adaloss"), List.of(1L, 2L),
                List.of(0.5, 1.0));
        StudyPlan plan = StudyPlan.of(config);
        Path out = temp.resolve("study");
        List<String> lines = new ArrayList<>();
        StudyRunner runner = new StudyRunner(Device.cpu(), TrainingListener.SILENT, lines::add);

        StudyRunner.Outcome first = runner.run(plan, out);
        StudyReport.write(config, StudyResults.read(plan, out), 1.0, out);

        assertThat(first).isEqualTo(new StudyRunner.Outcome(8, 0, 0));
        assertThat(lines).hasSize(8);
        assertThat(lines.get(2)).matches("\\[3/8\\] const seed 1 done in \\d+ s; ETA .*");
        assertThat(lines.get(7)).endsWith("study complete");
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
        assertThat(runner.run(plan, out)).isEqualTo(new StudyRunner.Outcome(0, 0, 8));
        assertThat(reportTimes(plan, out)).isEqualTo(times);
        assertThat(lines).allMatch(l -> l.endsWith("already done, skipped"));

        // a run with a checkpoint but no report is resumed (here only re-evaluated: it had finished)
        StudyPlan.PlannedRun cut = plan.runs().get(7);
        Files.delete(StudyRunner.runDir(out, cut).resolve(ReportFiles.JSON));
        assertThat(runner.run(plan, out)).isEqualTo(new StudyRunner.Outcome(0, 1, 7));
        assertThat(StudyRunner.runDir(out, cut).resolve(ReportFiles.JSON)).isNotEmptyFile();

        // the command line on the finished study: skips every run, prints the table and the folder
        Path file = temp.resolve("small-study.json");
        config.save(file);
        CliRun cli = CliRun.of("study", "--config", file.toString(), "--out", out.toString());
        assertThat(cli.code()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("[8/8] adaloss seed 2 already done, skipped", "Weighting", "1/2", "mean",
                "adaloss", "study.json, study.md and study.png in " + out);

        // a study whose recipe changed refuses folders trained with the old one
        StudyConfig changed = config.withTraining(small.withEpochs(2));
        assertThatThrownBy(() -> runner.run(StudyPlan.of(changed), out)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("opt-0.5-seed1").hasMessageContaining("another configuration");
    }

    /** 100 (err - err_OPT) / err_OPT of the mean errors over seeds, straight from the report.json files. */
    private static double recomputed(Path out, String weighting, double fraction, int unit) throws Exception {
        double ann = 0;
        double opt = 0;
        for (long seed : List.of(1L, 2L)) {
            RunReport a = ReportFiles.readJson(out.resolve("runs/" + weighting + "-seed" + seed + "/report.json"));
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
            Path json = StudyRunner.runDir(out, run).resolve(ReportFiles.JSON);
            times.put(json, Files.getLastModifiedTime(json));
        }
        return times;
    }
}
