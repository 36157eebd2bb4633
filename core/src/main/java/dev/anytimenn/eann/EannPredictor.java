package dev.anytimenn.eann;

import dev.anytimenn.infer.AnytimePredictor;
import dev.anytimenn.infer.Prediction;
import dev.anytimenn.infer.StoppingPolicy;
import dev.anytimenn.infer.StoppingRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the members of an EANN one after another on the same input and answers, under the same
 * stopping rules as {@link AnytimePredictor}, with the prediction the {@link EannSchedule} names at
 * the last exit reached. Exits are numbered over the whole sequence (1-based): ANN_0's exits first.
 *
 * <p>One {@link StoppingPolicy} serves the whole call, so a cost budget or a deadline is shared by the
 * members in turn (a member whose next exit does not fit what is left is not started); a confidence
 * rule has one threshold per exit of the sequence, and at a member's last exit a sample leaves once
 * the answer it holds then is confident enough. A sample never leaves at an exit whose head was not
 * trained (its confidence means nothing), and before the first trained exit there is no answer.
 * Not thread-safe, like the member predictors.
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
        if (rule.usesLatency()) {
            members.forEach(AnytimePredictor::warmUpIfCold);
        }
        long start = System.nanoTime();
        StoppingPolicy policy = rule.start(schedule.steps().size(), start);
        StoppingPolicy withinMembers = trainedExitsOnly(policy);
        int n = images.size();
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
            List<byte[]> batch = new ArrayList<>();
            for (int i : active) {
                batch.add(images.get(i));
            }
            AnytimePredictor.Run run = member.run(batch, withinMembers, schedule.stepIndex(k, 0), start);
            List<Integer> going = new ArrayList<>();
            for (int r = 0; r < batch.size(); r++) {
                int i = active.get(r);
                Prediction p = run.predictions().get(r);
                spent[i] += p.macs();
                if (!p.answered()) {
                    continue;
                }
                int step = schedule.stepIndex(k, p.exit() - 1);
                byStep[i][step] = p;
                heldStep[i] = step;
                boolean reachedFinal = p.exit() == member.exitCosts().size();
                if (reachedFinal) {
                    Prediction held = heldPrediction(step, byStep[i]);
                    if (held == null || !policy.done(step, held.probabilities())) {
                        going.add(i);
                    }
                }
            }
            active = going;
            if (run.cut()) {
                break; // the budget or deadline ran out inside this member
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e6;
        Prediction[] answers = new Prediction[n];
        for (int i = 0; i < n; i++) {
            answers[i] = answer(heldStep[i], byStep[i], spent[i], elapsed);
        }
        return List.of(answers);
    }

    /** The prediction that answers at {@code step}; null while the EANN has no answer there. */
    private Prediction heldPrediction(int step, Prediction[] byStep) {
        EannSchedule.Step s = schedule.steps().get(step);
        return s.answered() ? byStep[schedule.stepIndex(s.answerMember(), s.answerExit())] : null;
    }

    /** {@code policy}, but no sample leaves at an untrained exit whatever its confidence there. */
    private StoppingPolicy trainedExitsOnly(StoppingPolicy policy) {
        return new StoppingPolicy() {
            @Override
            public boolean mayRun(long macsToNextExit, double expectedNanosToNextExit, long nowNanos) {
                return policy.mayRun(macsToNextExit, expectedNanosToNextExit, nowNanos);
            }

            @Override
            public void spent(long macs) {
                policy.spent(macs);
            }

            @Override
            public boolean done(int exit, float[] probabilities) {
                EannSchedule.Step s = schedule.steps().get(exit);
                return schedule.members().get(s.member()).exits().get(s.exit()).trained()
                        && policy.done(exit, probabilities);
            }
        };
    }

    private Prediction answer(int step, Prediction[] byStep, long macs, double elapsed) {
        Prediction held = step < 0 ? null : heldPrediction(step, byStep);
        if (held == null) {
            return new Prediction(-1, new float[0], 0, macs, elapsed);
        }
        EannSchedule.Step s = schedule.steps().get(step);
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
