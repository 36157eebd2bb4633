package dev.anytimenn.train;

/** Learning rate as a function of training progress, measured in (fractional) epochs from 0. */
@FunctionalInterface
public interface LearningRateSchedule {

    double rate(double epoch);

    /** The schedule a config names, with its linear warm-up in front. */
    static LearningRateSchedule of(TrainConfig config) {
        double base = config.lr();
        double total = config.epochs();
        LearningRateSchedule main = "cosine".equals(config.schedule())
                ? epoch -> 0.5 * base * (1 + Math.cos(Math.PI * Math.min(epoch, total) / total))
                : epoch -> base * (epoch < 0.5 * total ? 1 : epoch < 0.75 * total ? 0.1 : 0.01);
        double warmup = config.warmupEpochs();
        if (warmup <= 0) {
            return main;
        }
        return epoch -> epoch < warmup ? main.rate(epoch) * epoch / warmup : main.rate(epoch);
    }
}
