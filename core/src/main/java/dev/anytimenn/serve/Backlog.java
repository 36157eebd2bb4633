package dev.anytimenn.serve;

/** What a running batch asks at each exit about the requests waiting for a worker. */
interface Backlog {

    /** Nothing waits, or nothing has a deadline: batches run as their rows' own rules say. */
    Backlog NONE = (expectedNanosToNextExit, nowNanos) -> false;

    /**
     * Whether a waiting request would miss its first exit if the asking batch ran on toward its next exit,
     * expected to take {@code expectedNanosToNextExit} from {@code nowNanos}.
     */
    boolean waitingWouldMiss(double expectedNanosToNextExit, long nowNanos);
}
