package dev.anytimenn.eann;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.anytimenn.cli.CliRun;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.SyntheticIdx;
import dev.anytimenn.infer.Prediction;
import dev.anytimenn.infer.StoppingRule;
import dev.anytimenn.io.Jsons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny EANN: trained and evaluated from the command line, reopened as a predictor, then retrained as nothing. */
class EannEndToEndTest {

    @Test
    void trainsEvaluatesAndPredictsAsTheCurveSays(@TempDir Path temp) throws Exception {
        Path data = SyntheticIdx.writeLearnable(temp.resolve("data"), 800, 200, 11);
        Path out = temp.resolve("eann");

        CliRun train = CliRun.of("eann", "train", "--quick", "--members", "2", "--data", data.toString(), "--out",
                out.toString());
        assertThat(train.code()).as(train.err()).isZero();
        // 2 members, the single ANN, OPT n = 1 and the largest member cut at 1/2 and 1 (3 and 6 units)
        assertThat(train.out()).contains("[6/6]", "next: anytime eann eval " + out);

        CliRun eval = CliRun.of("eann", "eval", out.toString());
        assertThat(eval.code()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("bound b/(b-1) = 2.000", "B/4", "B/2");
        JsonNode json = Jsons.MAPPER.readTree(out.resolve(EannReport.JSON).toFile());
        assertThat(json.get("costRatio").asDouble()).isBetween(1.0, 2.0);
        assertThat(json.at("/curves/eann")).hasSize(3 + 6); // n = 1 and n = 2: 3 and 6 exits
        assertThat(json.at("/curves/opt")).hasSize(3);
        assertThat(json.get("budgets")).hasSize(EannResults.GRID);
        assertThat(out.resolve(EannReport.MARKDOWN)).content().contains("## Checks per budget");
        assertThat(out.resolve(EannReport.PNG)).isNotEmptyFile();

        // the predictor, opened from the folder, answers every test image with the curve's exit
        EannFolder folder = EannFolder.open(out);
        ImageSet test = folder.config().data().loadTest();
        List<byte[]> images = new ArrayList<>();
        int size = test.channels() * test.height() * test.width();
        for (int i = 0; i < test.size(); i++) {
            images.add(Arrays.copyOfRange(test.pixels(), i * size, (i + 1) * size));
        }
        try (EannPredictor eann = folder.predictor(Device.cpu())) {
            EannSchedule schedule = eann.schedule();
            for (int s : new int[] {0, 4, schedule.steps().size() - 1}) {
                EannSchedule.Step step = schedule.steps().get(s);
                List<Prediction> answers = eann.predictBatch(images, new StoppingRule.CostBudget(step.cumulativeMacs()));
                int wrong = 0;
                for (int i = 0; i < answers.size(); i++) {
                    assertThat(answers.get(i).exit()).isEqualTo(schedule.stepIndex(step.answerMember(),
                            step.answerExit()) + 1);
                    assertThat(answers.get(i).macs()).isLessThanOrEqualTo(step.cumulativeMacs());
                    wrong += answers.get(i).label() == test.labels()[i] ? 0 : 1;
                }
                double curveError = json.at("/curves/eann/" + s + "/testError").asDouble();
                assertThat((double) wrong / test.size()).as("step %d", s).isCloseTo(curveError,
                        org.assertj.core.api.Assertions.within(1.5 / test.size()));
            }
            assertThat(eann.predict(images.get(0), new StoppingRule.CostBudget(0)).answered()).isFalse();
            assertThat(eann.predict(images.get(0), new StoppingRule.RunAll()).exit()).isEqualTo(
                    schedule.stepIndex(schedule.steps().get(8).answerMember(), schedule.steps().get(8).answerExit()) + 1);
        }

        // again: every run is found and skipped; another configuration is refused
        CliRun again = CliRun.of("eann", "train", "--quick", "--members", "2", "--data", data.toString(), "--out",
                out.toString());
        assertThat(again.out()).contains("[6/6] OPT n = 2 cut after 6 of 6 units already done, skipped");
        CliRun other = CliRun.of("eann", "train", "--quick", "--members", "3", "--data", data.toString(), "--out",
                out.toString());
        assertThat(other.code()).isNotZero();
        assertThat(other.err()).contains("another configuration");
        assertThat(Files.readString(out.resolve(EannPlan.CONFIG))).contains("\"members\": 2");
    }

    @Test
    void reusesAFinishedRunWithTheSameConfiguration(@TempDir Path temp) throws Exception {
        Path data = SyntheticIdx.writeLearnable(temp.resolve("data"), 600, 100, 3);
        Path first = temp.resolve("first");
        assertThat(CliRun.of("eann", "train", "--quick", "--members", "1", "--data", data.toString(), "--out",
                first.toString()).code()).isZero();
        // with 2 members, member 1 is a new network but the others are the first folder's runs
        CliRun second = CliRun.of("eann", "train", "--quick", "--members", "2", "--data", data.toString(), "--reuse",
                first.toString(), "--out", temp.resolve("second").toString());
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.out()).contains("member 0 (n = 1, sieve): reused " + first.resolve("members/ann-0"));
        assertThat(second.out()).contains("[1/6] member 0 (n = 1, sieve) already done, skipped");
        assertThat(second.out()).contains("[2/6] member 1 (n = 2, eann-sieve): training");
    }
}
