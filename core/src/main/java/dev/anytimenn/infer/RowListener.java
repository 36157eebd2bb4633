package dev.anytimenn.infer;

/**
 * Hears a row-by-row run ({@link AnytimePredictor#runRows}) as it goes, on the thread that runs it:
 * each exit a row reaches, and the moment its answer is final, so a caller can answer that row while
 * the rest of the batch runs on. Calls should be quick: the batch waits for them.
 */
public interface RowListener {

    /** Row {@code row} (0-based in the batch) reached an exit; it may still go on. */
    default void reachedExit(int row, Prediction atExit) {}

    /** Row {@code row}'s answer is final ({@code exit} 0 when it reached none); once per row. */
    void answered(int row, Prediction answer);

    /** Hears nothing. */
    RowListener NONE = (row, answer) -> {};
}
