package dev.anytimenn.infer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Runs the members of an EANN one after another on the same input and answers, under the same
 * stopping rules as {@link AnytimePredictor}, with the prediction the {@link EannSchedule} names at
 * the last exit reached. Exits are numbered over the whole sequence (1-based): ANN_0's exits first.
 *
 * <p>A cost budget runs every member whose first exit fits what is left of it; a deadline gives each
 * member the time left; a confidence rule has one threshold per exit of the sequence, and a sample
 * leaves once the answer it holds is confident enough. Not thread-safe, like the member predictors.
 */
public final class EannPredictor implements AutoCloseable {

    private final List<AnytimePredictor> members;
    private final EannSchedule schedule;

    /** The members' predictors, in running order, and the schedule built from their exits. */
    public EannPredictor(List<AnytimePredictor> members, EannSchedule schedule) {
        if (members.size() != schedule.members().size()) {
            throw new IllegalArgumentException(members.size() + " member predictors for a schedule of "
                    + schedule.members().size() + " members");
        }
        for (int k = 0; k < members.size(); k++) {
            int exits = members.get(k).exitCosts().size();
            if (exits != schedule.members().get(k).exits().size()) {
                throw new IllegalArgumentException("member " + k + " has " + exits + " exits, its schedule "
                        + schedule.members().get(k).exits().size());
            }
        }
        this.members = List.copyOf(members);
        this.schedule = schedule;
    }

    public EannSchedule schedule() {
        return schedule;
    }

    public Prediction predict(byte[] pixels, StoppingRule rule) {
        return predictBatch(List.of(pixels), rule).get(0);
    }

    public List<Prediction> predictBatch(List<byte[]> images, StoppingRule rule) {
        long start = System.nanoTime();
        int n = images.size();
        Prediction[] answers = new Prediction[n];
        // per sample: the member predictions that answered, by schedule step
        Prediction[][] byStep = new Prediction[n][schedule.steps().size()];
        int[] heldStep = new int[n];
        Arrays.fill(heldStep, -1);
        long[] spent = new long[n];
        List<Integer> active = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            active.add(i);
        }
        for (int k = 0; k < members.size() && !active.isEmpty(); k++) {
            AnytimePredictor member = members.get(k);
            long offset = schedule.offset(k);
            Optional<StoppingRule> memberRule = memberRule(rule, k, offset, start);
            if (memberRule.isEmpty()) {
                break;
            }
            List<byte[]> batch = new ArrayList<>();
            for (int i : active) {
                batch.add(images.get(i));
            }
            List<Prediction> out = member.predictBatch(batch, memberRule.get());
            List<Integer> going = new ArrayList<>();
            boolean finished = true;
            for (int r = 0; r < out.size(); r++) {
                int i = active.get(r);
                Prediction p = out.get(r);
                spent[i] += p.macs();
                if (!p.answered()) {
                    finished = false;
                    continue;
                }
                int step = schedule.stepIndex(k, p.exit() - 1);
                byStep[i][step] = p;
                heldStep[i] = step;
                boolean reachedFinal = p.exit() == member.exitCosts().size();
                finished &= reachedFinal;
                if (reachedFinal && !(rule instanceof StoppingRule.Confidence c && confident(c, step, i, byStep))) {
                    going.add(i);
                }
            }
            active = going;
            if (!finished && !(rule instanceof StoppingRule.Confidence)) {
                break; // the budget or deadline ran out inside this member
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e6;
        for (int i = 0; i < n; i++) {
            answers[i] = answer(heldStep[i], byStep[i], spent[i], elapsed);
        }
        return List.of(answers);
    }

    /** The rule member {@code k} runs under; empty when it cannot reach its first exit. */
    private Optional<StoppingRule> memberRule(StoppingRule rule, int k, long offset, long start) {
        if (rule instanceof StoppingRule.CostBudget budget) {
            long left = budget.macs() - offset;
            boolean reachable = left >= schedule.members().get(k).exits().get(0).cumulativeMacs();
            return reachable ? Optional.of(new StoppingRule.CostBudget(left)) : Optional.empty();
        }
        if (rule instanceof StoppingRule.Deadline deadline) {
            long left = deadline.nanos() - (System.nanoTime() - start);
            return left > 0 ? Optional.of(new StoppingRule.Deadline(left)) : Optional.empty();
        }
        if (rule instanceof StoppingRule.Confidence confidence) {
            double[] all = confidence.thresholds().thresholds();
            if (all.length != schedule.steps().size()) {
                throw new IllegalArgumentException("an EANN confidence rule needs one threshold per exit of the"
                        + " sequence (" + schedule.steps().size() + "), got " + all.length);
            }
            int first = schedule.stepIndex(k, 0);
            double[] own = Arrays.copyOfRange(all, first, first + schedule.members().get(k).exits().size());
            own[own.length - 1] = Double.NEGATIVE_INFINITY; // decided here, against the sequence's threshold
            return Optional.of(new StoppingRule.Confidence(new ExitThresholds(confidence.thresholds().score(), own)));
        }
        return Optional.of(rule);
    }

    /** Whether the answer held at the end of a member is confident enough to stop the sequence. */
    private boolean confident(StoppingRule.Confidence rule, int step, int sample, Prediction[][] byStep) {
        Prediction held = heldPrediction(step, byStep[sample]);
        return rule.thresholds().leavesAt(step, rule.thresholds().score().score(held.probabilities()));
    }

    private Prediction heldPrediction(int step, Prediction[] byStep) {
        EannSchedule.Step s = schedule.steps().get(step);
        return byStep[schedule.stepIndex(s.answerMember(), s.answerExit())];
    }

    private Prediction answer(int step, Prediction[] byStep, long macs, double elapsed) {
        if (step < 0) {
            return new Prediction(-1, new float[0], 0, macs, elapsed);
        }
        EannSchedule.Step s = schedule.steps().get(step);
        Prediction held = heldPrediction(step, byStep);
        int exit = schedule.stepIndex(s.answerMember(), s.answerExit()) + 1;
        return new Prediction(held.label(), held.probabilities(), exit, macs, elapsed);
    }

    @Override
    public void close() {
        for (AnytimePredictor p : members) {
            p.close();
        }
    }
}
