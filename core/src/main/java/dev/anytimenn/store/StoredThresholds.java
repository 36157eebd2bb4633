package dev.anytimenn.store;

/**
 * Calibrated confidence thresholds as a model file holds them: the score's name and one threshold
 * per exit (the last is {@code -Infinity}). {@code infer} turns them into a stopping rule.
 */
public record StoredThresholds(String score, double[] thresholds) {

    public StoredThresholds {
        if (score == null || score.isBlank()) {
            throw new IllegalArgumentException("thresholds.score is missing");
        }
        if (thresholds == null || thresholds.length == 0) {
            throw new IllegalArgumentException("thresholds.thresholds is missing");
        }
        thresholds = thresholds.clone();
    }

    @Override
    public double[] thresholds() {
        return thresholds.clone();
    }
}
