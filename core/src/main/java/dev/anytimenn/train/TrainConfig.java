package dev.anytimenn.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.anytimenn.weighting.LossWeightings;

/**
 * How a network is trained: optimiser, schedule, data handling and loss weighting.
 *
 * @param schedule "cosine" (to zero over all epochs) or "step" (x0.1 at 50 % and 75 % of them)
 * @param warmupEpochs linear warm-up from 0 over this many (possibly fractional) epochs
 * @param trainLimit train on the first N training images only; 0 means all
 * @param weighting a {@link LossWeightings} spec with the scheme's parameters, e.g. "adaloss",
 *     "adaloss:gamma=0.05,updateEvery=1", "opt:3"
 * @param distill self-distillation "T:alpha" ({@link Distillation}), or null for none
 * @param scaleHeadDecay scale each head's linear-layer weight decay by its static loss weight, as the paper's
 *     code does (off by default: until issue #17 every head decayed alike)
 */
public record TrainConfig(
        int epochs,
        int batchSize,
        double lr,
        double momentum,
        boolean nesterov,
        double weightDecay,
        String schedule,
        double warmupEpochs,
        long seed,
        int valSize,
        int trainLimit,
        int cropPadding,
        boolean flip,
        String weighting,
        String distill,
        boolean scaleHeadDecay) {

    /** A recipe without self-distillation, every head's weights decaying alike. */
    public TrainConfig(int epochs, int batchSize, double lr, double momentum, boolean nesterov, double weightDecay,
            String schedule, double warmupEpochs, long seed, int valSize, int trainLimit, int cropPadding, boolean flip,
            String weighting) {
        this(epochs, batchSize, lr, momentum, nesterov, weightDecay, schedule, warmupEpochs, seed, valSize, trainLimit,
                cropPadding, flip, weighting, null, false);
    }

    public TrainConfig {
        positive("epochs", epochs);
        positive("batchSize", batchSize);
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("lr must be a positive number, got " + lr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        }
        if (!"cosine".equals(schedule) && !"step".equals(schedule)) {
            throw new IllegalArgumentException("schedule must be 'cosine' or 'step', got '" + schedule + "'");
        }
        if (!(warmupEpochs >= 0) || warmupEpochs > epochs) {
            throw new IllegalArgumentException("warmupEpochs must be in [0, epochs], got " + warmupEpochs);
        }
        if (valSize < 0 || trainLimit < 0 || cropPadding < 0) {
            throw new IllegalArgumentException("valSize, trainLimit and cropPadding must be >= 0");
        }
        if (weighting == null || weighting.isBlank()) {
            throw new IllegalArgumentException("weighting must be named");
        }
        if (distill != null && distill.isBlank()) {
            distill = null;
        }
        if (distill != null) {
            Distillation.parse(distill); // fails with a message naming the option
        }
    }

    /** The self-distillation of this recipe, if any. */
    public java.util.Optional<Distillation> distillation() {
        return distill == null ? java.util.Optional.empty() : java.util.Optional.of(Distillation.parse(distill));
    }

    /**
     * Reads a config.json's {@code training}. Configs written before weightings carried their parameters
     * hold the AdaLoss options in a field of their own, {@code adaLoss}; they go into the spec
     * ({@link LossWeightings#withLegacyAdaLoss}), so an old run resumes with the parameters it had.
     */
    @JsonCreator
    static TrainConfig fromJson(@JsonProperty("epochs") int epochs, @JsonProperty("batchSize") int batchSize,
            @JsonProperty("lr") double lr, @JsonProperty("momentum") double momentum,
            @JsonProperty("nesterov") boolean nesterov, @JsonProperty("weightDecay") double weightDecay,
            @JsonProperty("schedule") String schedule, @JsonProperty("warmupEpochs") double warmupEpochs,
            @JsonProperty("seed") long seed, @JsonProperty("valSize") int valSize,
            @JsonProperty("trainLimit") int trainLimit, @JsonProperty("cropPadding") int cropPadding,
            @JsonProperty("flip") boolean flip, @JsonProperty("weighting") String weighting,
            @JsonProperty("adaLoss") JsonNode adaLoss, @JsonProperty("distill") String distill,
            @JsonProperty("scaleHeadDecay") Boolean scaleHeadDecay) {
        return new TrainConfig(epochs, batchSize, lr, momentum, nesterov, weightDecay, schedule, warmupEpochs, seed,
                valSize, trainLimit, cropPadding, flip, LossWeightings.withLegacyAdaLoss(weighting, adaLoss), distill,
                scaleHeadDecay != null && scaleHeadDecay);
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, got " + value);
        }
    }

    /** The same recipe for one run of an experiment: its own seed and weighting. */
    public TrainConfig forRun(long newSeed, String newWeighting) {
        return new TrainConfig(epochs, batchSize, lr, momentum, nesterov, weightDecay, schedule, warmupEpochs, newSeed,
                valSize, trainLimit, cropPadding, flip, newWeighting, distill, scaleHeadDecay);
    }

    /** The same recipe with self-distillation "T:alpha", or none for null. */
    public TrainConfig withDistill(String newDistill) {
        return new TrainConfig(epochs, batchSize, lr, momentum, nesterov, weightDecay, schedule, warmupEpochs, seed,
                valSize, trainLimit, cropPadding, flip, weighting, newDistill, scaleHeadDecay);
    }

    /** The same recipe with the heads' weight decay scaled by their static weights, or not. */
    public TrainConfig withScaleHeadDecay(boolean scale) {
        return new TrainConfig(epochs, batchSize, lr, momentum, nesterov, weightDecay, schedule, warmupEpochs, seed,
                valSize, trainLimit, cropPadding, flip, weighting, distill, scale);
    }

    /** Same settings with another number of epochs (e.g. to extend a finished run). */
    public TrainConfig withEpochs(int newEpochs) {
        return new TrainConfig(newEpochs, batchSize, lr, momentum, nesterov, weightDecay, schedule,
                warmupEpochs, seed, valSize, trainLimit, cropPadding, flip, weighting, distill, scaleHeadDecay);
    }
}
