package dev.anytimenn.infer;

/** When an anytime run stops and which exit answers. */
public sealed interface StoppingRule {

    /** Run every unit; the final exit answers. */
    record RunAll() implements StoppingRule {}

    /** The deepest exit whose cumulative MACs fit the budget. */
    record CostBudget(long macs) implements StoppingRule {
        public CostBudget {
            if (macs < 0) {
                throw new IllegalArgumentException("a MAC budget cannot be negative, got " + macs);
            }
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
            return new Deadline(Math.round(millis * 1e6));
        }
    }

    /** Stop at the first exit whose confidence score reaches that exit's threshold. */
    record Confidence(ExitThresholds thresholds) implements StoppingRule {}
}
