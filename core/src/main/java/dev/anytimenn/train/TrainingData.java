package dev.anytimenn.train;

import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.Normalization;

/** The images a run trains and validates on, with the normalisation fitted on the training part. */
public record TrainingData(ImageSet train, ImageSet validation, Normalization normalization) {}
