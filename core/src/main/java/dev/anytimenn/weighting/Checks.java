package dev.anytimenn.weighting;

/** Argument checks shared by the weightings. */
final class Checks {
    private Checks() {}

    static int heads(int heads) {
        if (heads < 1) {
            throw new IllegalArgumentException("heads must be >= 1, got " + heads);
        }
        return heads;
    }

    static long step(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        return step;
    }
}
