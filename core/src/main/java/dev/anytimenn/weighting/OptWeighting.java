package dev.anytimenn.weighting;

/**
 * "opt:J": B_J = 1 and every other weight 0 (J is 1-based), i.e. train only head J; the reference
 * "one separate network per depth". "opt" alone means the final head K.
 */
public final class OptWeighting extends FixedWeighting {
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

    /** Trains only the final head; named "opt". */
    public static OptWeighting finalHead(int heads) {
        return new OptWeighting(heads, Checks.heads(heads), "opt");
    }

    /** The trained head, 1-based. */
    public int head() {
        return head;
    }
}
