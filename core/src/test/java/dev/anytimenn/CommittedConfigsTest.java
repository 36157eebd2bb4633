package dev.anytimenn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anytimenn.eann.EannConfig;
import dev.anytimenn.eann.EannPlan;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.study.StudyConfig;
import dev.anytimenn.study.StudyPlan;
import dev.anytimenn.train.RunConfig;
import dev.anytimenn.train.RunFolder;
import dev.anytimenn.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configs committed under results/ and bench/results/, written before architectures and weightings
 * owned their options (AdaLoss's then a field of the training config of its own), read as the very
 * configurations today's commands plan: so `eann train` and `study` over those folders resume or skip
 * rather than refusing them as another experiment, and `--reuse` finds them. (The committed EANN's
 * member 0 was trained with eann-sieve; it now trains with sieve, so `eann train` refuses that one run.)
 */
class CommittedConfigsTest {

    static final Path ROOT = Path.of("..");
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void everyCommittedRunConfigAndReportStillReads() throws IOException {
        List<Path> configs;
        try (Stream<Path> files = Stream.concat(Files.walk(ROOT.resolve("results")),
                Files.walk(ROOT.resolve("bench/results")))) {
            configs = files.filter(p -> p.getFileName().toString().equals("config.json")).toList();
        }
        assertThat(configs).hasSizeGreaterThanOrEqualTo(11);
        for (Path config : configs) {
            RunConfig run = new RunFolder(config.getParent()).readConfig();
            // none of them had AdaLoss options other than the defaults: the specs are as they were
            assertThat(run.training().weighting()).as(config.toString())
                    .isEqualTo(Jsons.MAPPER.readTree(config.toFile()).get("training").get("weighting").asText());
        }
        RunConfig demo = new RunFolder(ROOT.resolve("bench/results/demo")).readConfig();
        assertThat(demo.model()).isEqualTo(new ModelConfig("resann", 2, 16, 1, 10, new InputShape(1, 28, 28)));
        assertThat(demo.training().weighting()).isEqualTo("adaloss");
        // the architecture comparison's reports: densann and msdnet configs from before their extra options
        for (String arch : List.of("resann", "densann", "msdnet")) {
            JsonNode report = Jsons.MAPPER.readTree(ROOT.resolve("results/architectures-fashion-mnist")
                    .resolve(arch + ".report.json").toFile());
            RunConfig run = Jsons.MAPPER.treeToValue(report.get("config"), RunConfig.class);
            assertThat(run.model().arch()).isEqualTo(arch);
            assertThat(run.model()).isEqualTo(new ModelConfig(arch, run.model().n(), run.model().c(), 1, 10,
                    new InputShape(1, 28, 28)));
        }
    }

    @Test
    void theCommittedEannIsTheDefaultEannRunForRun() throws IOException {
        Path dir = ROOT.resolve("results/eann-fashion-mnist");
        EannConfig committed = EannConfig.load(dir.resolve(EannPlan.CONFIG));
        assertThat(committed).isEqualTo(EannConfig.defaults(FASHION));
        EannPlan plan = EannPlan.of(committed);
        for (EannPlan.Job job : plan.all()) {
            RunConfig planned = job.config();
            assertThat(new RunFolder(EannPlan.runDir(dir, job)).readConfig()).as(job.folder()).isEqualTo(planned);
        }
    }

    /** The AdaLoss options block configs had before weightings carried their parameters, with the defaults. */
    private static ObjectNode legacyAdaLoss(JsonNode config) {
        return ((ObjectNode) config.get("training")).putObject("adaLoss").put("mu", 0.9).put("gamma", 0.07)
                .put("updateEvery", 100).put("finalBonus", 0.0);
    }

    /** The first protocol stays runnable from its config file, which plans exactly the runs it reported. */
    @Test
    void theV1StudyConfigFileIsTheCommittedV1Study() throws IOException {
        Path dir = ROOT.resolve("results/study-fashion-mnist-v1");
        JsonNode study = Jsons.MAPPER.readTree(dir.resolve("study.json").toFile());
        StudyConfig file = StudyConfig.load(dir.resolve("study-config.json"));
        StudyConfig reported = Jsons.MAPPER.treeToValue(study.get("config"), StudyConfig.class);
        assertThat(file.armNames()).isEqualTo(StudyConfig.V1_WEIGHTINGS);
        assertThat(file).isEqualTo(new StudyConfig(file.name(), reported.model(), reported.training(), reported.data(),
                reported.arms(), reported.seeds(), reported.fractions()));
        assertThat(file.model().s()).isEqualTo(1);
        assertPlansTheReportedRuns(file, study);
    }

    /**
     * The committed v2 study is the default study, run for run, and every run's committed config is the one
     * the plan gives it, so a clean checkout rebuilds the tables without training.
     */
    @Test
    void theCommittedStudyIsTheDefaultStudy() throws IOException {
        Path dir = ROOT.resolve("results/study-fashion-mnist");
        JsonNode study = Jsons.MAPPER.readTree(dir.resolve("study.json").toFile());
        StudyConfig defaults = StudyConfig.defaults(FASHION);
        assertThat(defaults.model().s()).isEqualTo(3);
        assertThat(Jsons.MAPPER.treeToValue(study.get("config"), StudyConfig.class)).isEqualTo(defaults);
        assertPlansTheReportedRuns(defaults, study);
        for (StudyPlan.PlannedRun run : StudyPlan.of(defaults).runs()) {
            Path runDir = StudyPlan.runDir(dir, run);
            assertThat(new RunFolder(runDir).readConfig()).as(run.folder()).isEqualTo(run.config());
            assertThat(runDir.resolve("report.json")).as(run.folder()).isNotEmptyFile();
            assertThat(runDir.resolve("test-predictions.json")).as(run.folder()).isNotEmptyFile();
        }
    }

    private static void assertPlansTheReportedRuns(StudyConfig config, JsonNode study) {
        List<String> folders = StudyPlan.of(config).runs().stream().map(StudyPlan.PlannedRun::folder).toList();
        List<String> written = Jsons.MAPPER.convertValue(study.get("runs"), List.class).stream()
                .map(r -> (String) ((java.util.Map<?, ?>) r).get("name")).toList();
        assertThat(folders).containsExactlyInAnyOrderElementsOf(written);
    }

    /** An old config with AdaLoss options of its own resumes with them, now in the spec. */
    @Test
    void oldAdaLossOptionsGoIntoTheWeightingSpec(@TempDir Path temp) throws IOException {
        Path source = ROOT.resolve("results/eann-fashion-mnist/baselines/single-adaloss/config.json");
        ObjectNode old = (ObjectNode) Jsons.MAPPER.readTree(source.toFile());
        legacyAdaLoss(old).put("updateEvery", 8).put("gamma", 0.05);
        Files.writeString(temp.resolve("config.json"), Jsons.MAPPER.writeValueAsString(old));
        TrainConfig training = new RunFolder(temp).readConfig().training();
        assertThat(training.weighting()).isEqualTo("adaloss:gamma=0.05,updateEvery=8");
        assertThat(Jsons.MAPPER.readTree(Jsons.MAPPER.writeValueAsString(training)).has("adaLoss")).isFalse();

        ((ObjectNode) old.get("training").get("adaLoss")).put("mu", 1.5);
        Files.writeString(temp.resolve("config.json"), Jsons.MAPPER.writeValueAsString(old));
        assertThatThrownBy(() -> new RunFolder(temp).readConfig()).isInstanceOf(IOException.class)
                .hasMessageContaining("config.json: invalid run config: training: adaLoss: mu must be in [0, 1)");

        // an old EANN's single ANN used the recipe's AdaLoss options as well
        ObjectNode eann = (ObjectNode) Jsons.MAPPER.readTree(ROOT.resolve("results/eann-fashion-mnist")
                .resolve(EannPlan.CONFIG).toFile());
        legacyAdaLoss(eann).put("updateEvery", 8);
        Files.writeString(temp.resolve(EannPlan.CONFIG), Jsons.MAPPER.writeValueAsString(eann));
        EannConfig loaded = EannConfig.load(temp.resolve(EannPlan.CONFIG));
        assertThat(loaded.singleWeighting()).isEqualTo("adaloss:updateEvery=8");
        assertThat(loaded.training().weighting()).isEqualTo("eann-sieve");
    }
}
