package dev.anytimenn.spark;

import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.infer.ExitThresholds;
import dev.anytimenn.infer.StoppingRule;
import java.io.Serializable;

/**
 * The stopping rule of a job, decided on the driver and broadcast to the executors, which rebuild the
 * library's {@link StoppingRule} from it (the rules themselves are not serialisable).
 *
 * @param kind which rule
 * @param budgetMacs {@link Kind#BUDGET} only
 * @param deadlineMs {@link Kind#DEADLINE} only
 * @param score and {@code thresholds}: {@link Kind#CALIBRATED} only
 * @param description what the summary says the rule was
 */
public record StoppingPlan(Kind kind, long budgetMacs, double deadlineMs, String score, double[] thresholds,
        String description) implements Serializable {

    private static final long serialVersionUID = 1L;

    public enum Kind { RUN_ALL, BUDGET, DEADLINE, CALIBRATED }

    public StoppingPlan {
        thresholds = thresholds == null ? null : thresholds.clone();
        rule(kind, budgetMacs, deadlineMs, score, thresholds); // a bad plan fails on the driver, not in a task
    }

    public static StoppingPlan runAll() {
        return new StoppingPlan(Kind.RUN_ALL, 0, 0, null, null, "every unit (the final exit answers)");
    }

    public static StoppingPlan budget(long macs) {
        return new StoppingPlan(Kind.BUDGET, macs, 0, null, null, "MAC budget of " + macs + " per image");
    }

    public static StoppingPlan deadline(double ms) {
        return new StoppingPlan(Kind.DEADLINE, 0, ms, null, null, "deadline of " + ms + " ms per image");
    }

    /** @param source where the thresholds come from, for the summary */
    public static StoppingPlan calibrated(ExitThresholds thresholds, String source) {
        return new StoppingPlan(Kind.CALIBRATED, 0, 0, thresholds.score().cliName(), thresholds.thresholds(),
                "calibrated thresholds on " + thresholds.score().cliName() + " (" + source + ")");
    }

    public StoppingRule rule() {
        return rule(kind, budgetMacs, deadlineMs, score, thresholds);
    }

    /** The thresholds of a calibrated plan, else null. */
    public ExitThresholds exitThresholds() {
        return kind == Kind.CALIBRATED ? new ExitThresholds(ConfidenceScore.parse(score), thresholds) : null;
    }

    /**
     * Whether each image runs on its own: a deadline is per image, and the predictor's latency estimate is
     * measured at batch 1.
     */
    public boolean oneImageAtATime() {
        return kind == Kind.DEADLINE;
    }

    @Override
    public double[] thresholds() {
        return thresholds == null ? null : thresholds.clone();
    }

    private static StoppingRule rule(Kind kind, long budgetMacs, double deadlineMs, String score, double[] thresholds) {
        return switch (kind) {
            case RUN_ALL -> new StoppingRule.RunAll();
            case BUDGET -> new StoppingRule.CostBudget(budgetMacs);
            case DEADLINE -> StoppingRule.Deadline.ofMillis(deadlineMs);
            case CALIBRATED -> new StoppingRule.Confidence(new ExitThresholds(ConfidenceScore.parse(score), thresholds));
        };
    }
}
