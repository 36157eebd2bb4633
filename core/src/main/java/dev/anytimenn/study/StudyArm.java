package dev.anytimenn.study;

import dev.anytimenn.train.Distillation;
import dev.anytimenn.train.TrainConfig;
import dev.anytimenn.weighting.LossWeightings;
import java.util.List;

/**
 * One ANN arm of a study: what is trained once per seed and compared with the other arms. Since
 * self-distillation came in, a weighting alone no longer names an arm ("adaloss" with and without
 * distillation are two arms), so claims and tables refer to arms by {@link #name}, a stable key that is
 * also the stem of the arm's run folders.
 *
 * @param name folder-name stem and key, e.g. "adaloss" or "adaloss-distill"; letters, digits, '.', '_', '-'
 * @param weighting the loss weighting spec, e.g. "adaloss:mu=0.99,finalBonus=1"
 * @param distill the self-distillation spec "T:alpha" (e.g. "3:0.5"), or null for none
 */
public record StudyArm(String name, String weighting, String distill) {

    public StudyArm {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("arm name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        if (weighting == null || weighting.isBlank()) {
            throw new IllegalArgumentException("arm " + name + ": weighting is required");
        }
        if (distill != null && distill.isBlank()) {
            distill = null;
        }
        if (distill != null) {
            try {
                Distillation.parse(distill);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("arm " + name + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The arm of a weighting without distillation, named as studies before arms named their folders
     * ({@code LossWeightings.fileName}), so v1 study folders keep their names.
     */
    public static StudyArm of(String weighting) {
        return new StudyArm(LossWeightings.fileName(weighting), weighting, null);
    }

    /** One arm per weighting, none distilling: the arms of a study configured by weightings only. */
    public static List<StudyArm> of(List<String> weightings) {
        return weightings.stream().map(StudyArm::of).toList();
    }

    public boolean distills() {
        return distill != null;
    }

    /** The shared recipe as this arm trains it with {@code seed}: its weighting and distillation. */
    public TrainConfig recipe(TrainConfig shared, long seed) {
        return shared.forRun(seed, weighting).withDistill(distill);
    }

    /** The arm's run folder for one seed, e.g. "adaloss-distill-seed2". */
    public String folder(long seed) {
        return name + "-seed" + seed;
    }
}
