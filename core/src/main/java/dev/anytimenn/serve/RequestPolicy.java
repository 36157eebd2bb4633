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
 * Once the row has an answer, it also leaves when the {@link Backlog} says that running on would make a
 * waiting request miss its first exit.
 */
final class RequestPolicy implements StoppingPolicy {

    private final List<StoppingPolicy> rules;
    private final AtomicBoolean cancelled;
    private final Backlog backlog;
    private boolean answered;

    private RequestPolicy(List<StoppingPolicy> rules, AtomicBoolean cancelled, Backlog backlog) {
        this.rules = rules;
        this.cancelled = cancelled;
        this.backlog = backlog;
    }

    /**
     * @param workMs the time from arrival the request's work may take (its deadline less the server's reserve)
     * @param fullNetwork the deadline does not stop the run (the conventional server mode)
     * @param cancelled set when the client leaves
     * @param backlog the requests waiting behind this one's batch (not asked in full-network mode)
     */
    static RequestPolicy of(PredictRequest request, long arrivalNanos, double workMs, int exits, boolean fullNetwork,
            Optional<ExitThresholds> thresholds, AtomicBoolean cancelled, Backlog backlog) {
        List<StoppingPolicy> rules = new ArrayList<>();
        if (!fullNetwork) {
            rules.add(StoppingRule.Deadline.ofMillis(workMs).start(exits, arrivalNanos));
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
        return new RequestPolicy(List.copyOf(rules), cancelled, fullNetwork ? Backlog.NONE : backlog);
    }

    @Override
    public boolean mayRun(long macsToNextExit, double expectedNanosToNextExit, long nowNanos) {
        if (cancelled.get() || answered && backlog.waitingWouldMiss(expectedNanosToNextExit, nowNanos)) {
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
        answered = true;
        for (StoppingPolicy rule : rules) {
            if (rule.done(exit, probabilities)) {
                return true;
            }
        }
        return false;
    }
}
