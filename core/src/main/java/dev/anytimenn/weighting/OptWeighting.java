package dev.anytimenn.weighting;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * "opt:J": B_J = 1 and every other weight 0 (J is 1-based), i.e. train only head J; the reference
 * "one separate network per depth". "opt" alone means the final head K.
 */
public final class OptWeighting extends FixedWeighting {

    /** The parameter of "opt": which head it trains ({@code opt:J} is {@code opt:head=J}). */
    public record Parameters(@JsonPropertyDescription("the head trained, 1-based; 0: the final head") int head) {

        public static final Parameters FINAL_HEAD = new Parameters(0);

        public Parameters {
            if (head < 0) {
                throw new IllegalArgumentException("head must be a head number from 1, or 0 for the final head, got "
                        + head);
            }
        }
    }

    private final int head;

    /** Trains only head {@code head} (1-based) of {@code heads}; named "opt:head". */
    public OptWeighting(int heads, int head) {
        this(heads, head, "opt:" + head);
    }

    private OptWeighting(int heads, int head, String name) {
        super(name, of(heads, head));
        this.head = head;
    }

    /** Weight 1 on head {@code head} (1-based) of K, 0 elsewhere (a fresh array). */
    public static double[] of(int heads, int head) {
        Checks.heads(heads);
        if (head < 1 || head > heads) {
            throw new IllegalArgumentException(
                    "opt:" + head + " names head " + head + " but the network has " + heads
                            + " heads (J is 1-based: 1.." + heads + ")");
        }
        double[] b = new double[heads];
        b[head - 1] = 1.0;
        return b;
    }

    /** Trains the head {@code parameters} names, or the final one. */
    public static OptWeighting of(Parameters parameters, int heads) {
        return parameters.head() == 0 ? finalHead(heads) : new OptWeighting(heads, parameters.head());
    }

    /** Trains only the final head; named "opt". */
    public static OptWeighting finalHead(int heads) {
        return new OptWeighting(heads, Checks.heads(heads), "opt");
    }

    /** The trained head, 1-based. */
    public int head() {
        return head;
    }
}
