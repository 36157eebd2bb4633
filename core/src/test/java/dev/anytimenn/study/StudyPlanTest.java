package dev.anytimenn.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anytimenn.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.anytimenn.train.TrainConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyPlanTest {

    static final Path DATA = Path.of("unused");

    @Test
    void perSeedTheOptNetworksThenOneAnnPerWeighting() {
        StudyPlan plan = StudyPlan.of(StudyConfig.quick(DATA));

        assertThat(plan.runs()).hasSize(2 * (4 + 6));
        assertThat(plan.runs().stream().map(StudyPlan.PlannedRun::folder).toList()).startsWith(
                "opt-0.25-seed1", "opt-0.5-seed1", "opt-0.75-seed1", "opt-1.0-seed1", "const-seed1", "linear-seed1",
                "half-end-seed1", "sieve-seed1", "oscillating-seed1", "adaloss-updateEvery8-seed1", "opt-0.25-seed2");
        assertThat(plan.runs().get(19).folder()).isEqualTo("adaloss-updateEvery8-seed2");
        StudyPlan.PlannedRun opt = plan.runs().get(1);
        assertThat(opt.config().model().units()).isEqualTo(6);
        assertThat(opt.config().training().weighting()).isEqualTo("opt");
        assertThat(opt.config().name()).isEqualTo("opt-0.5-seed1");
        assertThat(opt.relativeCost()).isEqualTo(0.5);
        assertThat(opt.label()).isEqualTo("opt 0.5 seed 1");
        assertThat(plan.runs().subList(0, 4).stream().map(r -> r.config().model().units()).toList())
                .containsExactly(3, 6, 9, 12);
        StudyPlan.PlannedRun ann = plan.runs().get(19);
        assertThat(ann.config().model()).isEqualTo(StudyConfig.quick(DATA).model());
        assertThat(ann.config().training().seed()).isEqualTo(2);
        // 63 steps: AdaLoss updates every 8 steps, its spec says so
        assertThat(ann.config().training().weighting()).isEqualTo("adaloss:updateEvery=8");
        assertThat(ann.label()).isEqualTo("adaloss-updateEvery8 seed 2");
        assertThat(ann.relativeCost()).isEqualTo(1.0);
        assertThat(plan.totalCost()).isEqualTo(2 * (0.25 + 0.5 + 0.75 + 1 + 6));
    }

    @Test
    void theDefaultStudyHasTwelveUnitsAndAHeadAtEachQuarter() {
        StudyConfig config = StudyConfig.defaults(DATA);
        assertThat(config.units()).isEqualTo(12);
        assertThat(config.unitsAt(0.25)).isEqualTo(3);
        assertThat(config.unitsAt(0.75)).isEqualTo(9);
        assertThat(dev.anytimenn.model.Architectures.build(config.model()).headAfterUnit()).containsExactly(3, 6, 9, 12);
        List<StudyPlan.PlannedRun> runs = StudyPlan.of(config).runs();
        assertThat(runs).hasSize(3 * 9);
        assertThat(runs.subList(4, 9).stream().map(StudyPlan.PlannedRun::folder).toList())
                .containsExactly("const-seed1", "oscillating-seed1", "adaloss-seed1", "adaloss-mu0.99-e1-seed1",
                        "adaloss-distill-seed1");
        TrainConfig authors = runs.get(7).config().training();
        assertThat(authors.weighting()).isEqualTo("adaloss:mu=0.99,finalBonus=1");
        assertThat(authors.distill()).isNull();
        TrainConfig distilled = runs.get(8).config().training();
        assertThat(distilled.weighting()).isEqualTo("adaloss");
        assertThat(distilled.distill()).isEqualTo("3:0.5");
        assertThat(runs).allSatisfy(r -> assertThat(r.config().training().scaleHeadDecay()).isTrue());
        assertThat(runs.stream().filter(StudyPlan.PlannedRun::isOpt))
                .allSatisfy(r -> assertThat(r.config().training().distill()).isNull());
        assertThat(runs.get(26).folder()).isEqualTo("adaloss-distill-seed3");
    }

    @Test
    void aFractionThatIsNoWholeUnitWithAHeadIsNamed() {
        StudyConfig quick = StudyConfig.quick(DATA);
        assertThatThrownBy(() -> quick.with(quick.arms(), quick.seeds(), List.of(0.3, 1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fraction 0.3");
        // s = 2: heads after units 2, 4, ..., 12, none after unit 3
        ModelConfig strided = new ModelConfig("resann", 4, 4, 2, 10, quick.model().input());
        assertThatThrownBy(() -> new StudyConfig("x", strided, quick.training(), quick.data(), quick.arms(),
                quick.seeds(), StudyConfig.FRACTIONS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fraction 0.25")
                .hasMessageContaining("no head");
        assertThatThrownBy(() -> quick.with(StudyArm.of(List.of("const", "nope")), quick.seeds(), quick.fractions()))
                .hasMessageContaining("nope");
    }

    @Test
    void configFilesRoundTripAndBadOnesAreNamed(@TempDir Path dir) throws Exception {
        StudyConfig quick = StudyConfig.quick(DATA);
        Path file = dir.resolve("study.json");
        quick.save(file);
        assertThat(StudyConfig.load(file)).isEqualTo(quick);

        Files.writeString(file, Files.readString(file).replace("0.75", "0.3"));
        assertThatThrownBy(() -> StudyConfig.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("fraction 0.3")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        Files.writeString(file, Files.readString(file).replaceFirst("\"epochs\" ?: ?1", "\"epochs\": 0"));
        assertThatThrownBy(() -> StudyConfig.load(file)).hasMessageContaining("epochs must be at least 1")
                .hasMessageContaining("at training");
        assertThatThrownBy(() -> StudyConfig.load(dir.resolve("missing.json"))).hasMessageContaining("missing.json");
    }
}
