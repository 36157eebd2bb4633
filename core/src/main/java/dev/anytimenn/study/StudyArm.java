package dev.anytimenn.study;

import dev.anytimenn.train.Distillation;
import dev.anytimenn.train.TrainConfig;
import dev.anytimenn.weighting.LossWeightings;
import java.util.List;

/**
 * One ANN arm of a study: how its network is trained, beyond the shared recipe. Arms that train with
 * the same weighting (AdaLoss with and without self-distillation) differ by name.
 *
 * @param name its key in the study's tables and, made file-safe, its runs' folder stem
 * @param weighting a {@link LossWeightings} spec
 * @param distill self-distillation "T:alpha", or null for none
 */
public record StudyArm(String name, String weighting, String distill) {

    public StudyArm {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("every arm needs a name");
        }
        if (weighting == null || weighting.isBlank()) {
            throw new IllegalArgumentException("arm " + name + ": weighting must be named");
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

    /** An arm that is just a weighting, named by its spec (as the first protocol's studies were). */
    public static StudyArm of(String weighting) {
        return new StudyArm(weighting, weighting, null);
    }

    /** Arms for plain weightings. */
    public static List<StudyArm> of(List<String> weightings) {
        return weightings.stream().map(StudyArm::of).toList();
    }

    /** The stem of its runs' folders: the name made file-safe. */
    public String folderStem() {
        return LossWeightings.fileName(name);
    }

    /** The shared recipe as this arm trains it with {@code seed}. */
    public TrainConfig recipe(TrainConfig shared, long seed) {
        return shared.forRun(seed, weighting).withDistill(distill);
    }
}
