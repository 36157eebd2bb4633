package dev.anytimenn.eann;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When each exit of an EANN is reached and which prediction answers then. Members run one after
 * another on the same input; every exit reached is a step. At ANN_k's exit j the answer is that exit
 * if its head was trained and its validation error beats the answer held when ANN_k started (the
 * previous member's final answer), otherwise that held answer. The first member's trained exits
 * always answer; before the first of them the EANN has no answer.
 *
 * <p>A head whose loss weight was 0 throughout training (the first half of an eann- member's) never
 * answers, whatever its validation error: nothing made it a good classifier, and a low error there
 * would be luck of the validation set or features shared with the trained heads, not a property to
 * rely on on new inputs.
 *
 * @param members the members in running order
 * @param steps every exit of every member, in the order they are reached
 */
public record EannSchedule(List<Member> members, List<Step> steps) {

    /**
     * One exit of a member: its cumulative MACs within the member, its validation error, and whether its
     * head was trained (its weight in the member's weighting was ever above 0).
     */
    public record MemberExit(long cumulativeMacs, double validationError, boolean trained) {

        /** A trained exit. */
        public MemberExit(long cumulativeMacs, double validationError) {
            this(cumulativeMacs, validationError, true);
        }
    }

    /** One member: its exits in order. Its cost is its final exit's cumulative MACs. */
    public record Member(String name, List<MemberExit> exits) {
        public Member {
            exits = List.copyOf(exits);
            if (exits.isEmpty()) {
                throw new IllegalArgumentException("member " + name + " has no exits");
            }
            for (int i = 1; i < exits.size(); i++) {
                if (exits.get(i).cumulativeMacs() < exits.get(i - 1).cumulativeMacs()) {
                    throw new IllegalArgumentException("member " + name + ": exit costs must not decrease");
                }
            }
        }

        public long cost() {
            return exits.get(exits.size() - 1).cumulativeMacs();
        }
    }

    /**
     * Reaching exit {@code exit} (0-based) of member {@code member} at {@code cumulativeMacs} of the
     * whole sequence; the answer then is exit {@code answerExit} of member {@code answerMember}, both
     * -1 while no trained exit has been reached.
     */
    public record Step(int member, int exit, long cumulativeMacs, int answerMember, int answerExit) {
        public boolean answersWithOwnExit() {
            return member == answerMember && exit == answerExit;
        }

        /** Whether the EANN has an answer here: a trained exit has been reached. */
        public boolean answered() {
            return answerMember >= 0;
        }
    }

    public EannSchedule {
        members = List.copyOf(members);
        steps = List.copyOf(steps);
    }

    /** @throws IllegalArgumentException without members, or when no member has a trained exit */
    public static EannSchedule of(List<Member> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an EANN needs at least one member");
        }
        if (members.stream().flatMap(m -> m.exits().stream()).noneMatch(MemberExit::trained)) {
            throw new IllegalArgumentException("no member has a trained exit: the EANN would never answer");
        }
        List<Step> steps = new ArrayList<>();
        long offset = 0;
        int heldMember = -1;
        int heldExit = -1;
        double heldError = Double.POSITIVE_INFINITY;
        for (int k = 0; k < members.size(); k++) {
            Member m = members.get(k);
            int startMember = heldMember;
            int startExit = heldExit;
            double startError = heldError;
            for (int j = 0; j < m.exits().size(); j++) {
                MemberExit e = m.exits().get(j);
                boolean own = e.trained() && e.validationError() < startError;
                steps.add(new Step(k, j, offset + e.cumulativeMacs(), own ? k : startMember, own ? j : startExit));
                heldMember = own ? k : startMember;
                heldExit = own ? j : startExit;
                heldError = own ? e.validationError() : startError;
            }
            offset += m.cost();
        }
        return new EannSchedule(members, steps);
    }

    /** MACs from the start of the sequence to the start of member {@code k}. */
    public long offset(int k) {
        long sum = 0;
        for (int i = 0; i < k; i++) {
            sum += members.get(i).cost();
        }
        return sum;
    }

    /** MACs to reach the last member's final answer. */
    public long totalCost() {
        return offset(members.size());
    }

    /** Total cost over the last member's own cost: at most b/(b-1) when costs grow by a factor b. */
    public double costRatio() {
        return (double) totalCost() / members.get(members.size() - 1).cost();
    }

    /** The last step reached within {@code budget} MACs; empty before the first exit. */
    public Optional<Step> at(long budget) {
        Step last = null;
        for (Step s : steps) {
            if (s.cumulativeMacs() <= budget) {
                last = s;
            }
        }
        return Optional.ofNullable(last);
    }

    /** The index in {@link #steps()} of member {@code member}'s exit {@code exit}. */
    public int stepIndex(int member, int exit) {
        int index = 0;
        for (int k = 0; k < member; k++) {
            index += members.get(k).exits().size();
        }
        return index + exit;
    }
}
