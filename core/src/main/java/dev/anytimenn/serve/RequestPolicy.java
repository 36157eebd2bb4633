package dev.anytimenn.serve;

import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.infer.ExitThresholds;
import dev.anytimenn.infer.StoppingPolicy;
import dev.anytimenn.infer.StoppingRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request's stopping policy: its deadline counted from arrival (so time spent queued is taken off),
 * and its MAC budget and confidence rule when it gives them, all at once: a step runs only when every
 * rule lets it and when the client is still there; the row leaves at an exit when any rule says so.
 */
final class RequestPolicy implements StoppingPolicy {

    private final List<StoppingPolicy> rules;
    private final AtomicBoolean cancelled;

    private RequestPolicy(List<StoppingPolicy> rules, AtomicBoolean cancelled) {
        this.rules = rules;
        this.cancelled = cancelled;
    }

    /**
     * @param fullNetwork the deadline does not stop the run (the conventional server mode)
     * @param cancelled set when the client leaves
     */
    static RequestPolicy of(PredictRequest request, long arrivalNanos, int exits, boolean fullNetwork,
            Optional<ExitThresholds> thresholds, AtomicBoolean cancelled) {
        List<StoppingPolicy> rules = new ArrayList<>();
        if (!fullNetwork) {
            rules.add(StoppingRule.Deadline.ofMillis(request.deadlineMs()).start(exits, arrivalNanos));
        }
        if (request.budgetMacs() != null) {
            rules.add(new StoppingRule.CostBudget(request.budgetMacs()).start(exits, arrivalNanos));
        }
        if (request.confidence() != null) {
            rules.add(StoppingRule.Confidence.atEveryExit(ConfidenceScore.parse(request.score()), request.confidence(),
                    exits).start(exits, arrivalNanos));
        }
        if (request.calibrated()) {
            rules.add(new StoppingRule.Confidence(thresholds.orElseThrow()).start(exits, arrivalNanos));
        }
        return new RequestPolicy(List.copyOf(rules), cancelled);
    }

    @Override
    public boolean mayRun(long macsToNextExit, double expectedNanosToNextExit, long nowNanos) {
        if (cancelled.get()) {
            return false;
        }
        for (StoppingPolicy rule : rules) {
            if (!rule.mayRun(macsToNextExit, expectedNanosToNextExit, nowNanos)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void spent(long macs) {
        rules.forEach(r -> r.spent(macs));
    }

    @Override
    public boolean done(int exit, float[] probabilities) {
        for (StoppingPolicy rule : rules) {
            if (rule.done(exit, probabilities)) {
                return true;
            }
        }
        return false;
    }
}
