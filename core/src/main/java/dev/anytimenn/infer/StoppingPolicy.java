package dev.anytimenn.infer;

/**
 * One call's stopping decisions, made by a {@link StoppingRule} for that call and asked by the
 * predictor as it goes: before each step, whether to run on toward the next exit; after each exit,
 * whether a sample has its answer. The last exit of a run always answers, whatever it says.
 */
public interface StoppingPolicy {

    /**
     * Before the steps that lead to the next exit: may they run?
     *
     * @param macsToNextExit the MACs from here up to and including the next exit, per sample
     * @param expectedNanosToNextExit the predictor's estimate of the wall time to get there
     * @param nowNanos the clock now, on the scale of the call's start
     */
    boolean mayRun(long macsToNextExit, double expectedNanosToNextExit, long nowNanos);

    /** A step ran and cost {@code macs} per sample. */
    void spent(long macs);

    /** After 0-based {@code exit} answered a sample with these probabilities: may it leave now? */
    boolean done(int exit, float[] probabilities);
}
