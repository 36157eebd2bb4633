package dev.anytimenn.infer;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * When an anytime run stops and which exit answers: a factory of one {@link StoppingPolicy} per
 * call. A new rule is one new implementation of this interface.
 */
public interface StoppingRule {

    /**
     * The policy of one call.
     *
     * @param exits how many exits the run has (over the whole sequence, for an EANN)
     * @param startNanos the clock when the call started
     */
    StoppingPolicy start(int exits, long startNanos);

    /** Whether the rule judges steps by their measured latency (the predictor then warms its estimate first). */
    default boolean usesLatency() {
        return false;
    }

    /** Run every unit; the final exit answers. */
    record RunAll() implements StoppingRule {
        @Override
        public StoppingPolicy start(int exits, long startNanos) {
            return new Policy() {};
        }
    }

    /** The deepest exit whose cumulative MACs fit the budget. */
    record CostBudget(long macs) implements StoppingRule {
        public CostBudget {
            if (macs < 0) {
                throw new IllegalArgumentException("a MAC budget cannot be negative, got " + macs);
            }
        }

        @Override
        public StoppingPolicy start(int exits, long startNanos) {
            return new Policy() {
                private long spent;

                @Override
                public boolean mayRun(long macsToNextExit, double expectedNanos, long nowNanos) {
                    return spent + macsToNextExit <= macs;
                }

                @Override
                public void spent(long stepMacs) {
                    spent += stepMacs;
                }
            };
        }
    }

    /**
     * Run unit by unit and stop when the next exit is not expected to be reached within
     * {@code nanos} of the call; the latest exit reached answers.
     */
    record Deadline(long nanos) implements StoppingRule {
        public Deadline {
            if (nanos < 0) {
                throw new IllegalArgumentException("a deadline cannot be negative, got " + nanos + " ns");
            }
        }

        public static Deadline ofMillis(double millis) {
            if (!(millis >= 0)) {
                throw new IllegalArgumentException("a deadline cannot be negative, got "
                        + (Double.isFinite(millis) ? BigDecimal.valueOf(millis).stripTrailingZeros().toPlainString()
                                : Double.toString(millis)) + " ms");
            }
            return new Deadline(Math.round(millis * 1e6));
        }

        @Override
        public boolean usesLatency() {
            return true;
        }

        @Override
        public StoppingPolicy start(int exits, long startNanos) {
            return new Policy() {
                @Override
                public boolean mayRun(long macsToNextExit, double expectedNanos, long nowNanos) {
                    return nowNanos - startNanos + expectedNanos <= nanos;
                }
            };
        }
    }

    /** Stop at the first exit whose confidence score reaches that exit's threshold. */
    record Confidence(ExitThresholds thresholds) implements StoppingRule {
        /** The same threshold at every exit but the last, which always answers. */
        public static Confidence atEveryExit(ConfidenceScore score, double threshold, int exits) {
            double[] t = new double[exits];
            Arrays.fill(t, threshold);
            t[exits - 1] = Double.NEGATIVE_INFINITY;
            return new Confidence(new ExitThresholds(score, t));
        }

        @Override
        public StoppingPolicy start(int exits, long startNanos) {
            if (thresholds.exits() != exits) {
                throw new IllegalArgumentException("a confidence rule needs one threshold per exit (" + exits
                        + "), got " + thresholds.exits());
            }
            return new Policy() {
                @Override
                public boolean done(int exit, float[] probabilities) {
                    return thresholds.leavesAt(exit, thresholds.score().score(probabilities));
                }
            };
        }
    }

    /** A policy that runs everything and lets no sample leave early: the rules above override what they decide. */
    interface Policy extends StoppingPolicy {
        @Override
        default boolean mayRun(long macsToNextExit, double expectedNanosToNextExit, long nowNanos) {
            return true;
        }

        @Override
        default void spent(long macs) {}

        @Override
        default boolean done(int exit, float[] probabilities) {
            return false;
        }
    }
}
