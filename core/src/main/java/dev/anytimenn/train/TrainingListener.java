package dev.anytimenn.train;

import dev.anytimenn.eval.report.EpochSummary;

/** What a caller hears of training as it goes; printing and progress bars live with the caller. */
public interface TrainingListener {

    TrainingListener SILENT = new TrainingListener() {};

    default void epochStarted(int epoch, int epochs, int steps) {}

    /** After each step: the weighted loss and the images per second so far in this epoch. */
    default void stepFinished(int epoch, int step, double loss, double imagesPerSecond) {}

    default void epochFinished(EpochSummary summary) {}
}
