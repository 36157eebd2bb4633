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
        String weighting) {

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
            @JsonProperty("adaLoss") JsonNode adaLoss) {
        return new TrainConfig(epochs, batchSize, lr, momentum, nesterov, weightDecay, schedule, warmupEpochs, seed,
                valSize, trainLimit, cropPadding, flip, LossWeightings.withLegacyAdaLoss(weighting, adaLoss));
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, got " + value);
        }
    }

    /** The same recipe for one run of an experiment: its own seed and weighting. */
    public TrainConfig forRun(long newSeed, String newWeighting) {
        return new TrainConfig(epochs, batchSize, lr, momentum, nesterov, weightDecay, schedule, warmupEpochs, newSeed,
                valSize, trainLimit, cropPadding, flip, newWeighting);
    }

    /** Same settings with another number of epochs (e.g. to extend a finished run). */
    public TrainConfig withEpochs(int newEpochs) {
        return new TrainConfig(newEpochs, batchSize, lr, momentum, nesterov, weightDecay, schedule,
                warmupEpochs, seed, valSize, trainLimit, cropPadding, flip, weighting);
    }
}
