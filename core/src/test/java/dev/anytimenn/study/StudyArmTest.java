package dev.anytimenn.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Arms name their run folders; a study configured by weightings has one arm per weighting. */
class StudyArmTest {

    @Test
    void anArmNamesItsFoldersAndSaysWhetherItDistills() {
        StudyArm distill = new StudyArm("adaloss-distill", "adaloss", "3:0.5");
        assertThat(distill.folder(2)).isEqualTo("adaloss-distill-seed2");
        assertThat(distill.distills()).isTrue();
        assertThat(new StudyArm("adaloss", "adaloss", " ").distills()).isFalse();
        assertThat(StudyArm.of("adaloss:mu=0.99,finalBonus=1"))
                .isEqualTo(new StudyArm("adaloss-mu0.99-finalBonus1", "adaloss:mu=0.99,finalBonus=1", null));
        assertThatThrownBy(() -> new StudyArm("a/b", "const", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StudyArm("a", " ", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weighting");
    }

    @Test
    void thePlansArmsAreItsAnnRunFolders() {
        StudyPlan plan = StudyPlan.of(StudyResultsTest.config());
        List<String> annFolders = plan.runs().stream().filter(r -> !r.isOpt()).map(StudyPlan.PlannedRun::folder)
                .toList();
        List<String> armFolders = plan.config().seeds().stream()
                .flatMap(s -> plan.arms().stream().map(a -> a.folder(s))).toList();
        assertThat(armFolders).containsExactlyElementsOf(annFolders);
    }
}
