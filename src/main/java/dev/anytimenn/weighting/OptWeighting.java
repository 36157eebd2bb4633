package dev.anytimenn.weighting;

/**
 * "opt:J": B_J = 1 and every other weight 0 (J is 1-based), i.e. train only head J; the reference
 * "one separate network per depth". "opt" alone means the final head K.
 */
public final class OptWeighting implements LossWeighting {
  private final int heads;
  private final int head;
  private final String name;

  /** Trains only head {@code head} (1-based) of {@code heads}; named "opt:head". */
  public OptWeighting(int heads, int head) {
    this(heads, head, "opt:" + head);
  }

  private OptWeighting(int heads, int head, String name) {
    this.heads = Checks.heads(heads);
    if (head < 1 || head > heads) {
      throw new IllegalArgumentException(
          "opt:" + head + " names head " + head + " but the network has " + heads
              + " heads (J is 1-based: 1.." + heads + ")");
    }
    this.head = head;
    this.name = name;
  }

  /** Trains only the final head; named "opt". */
  public static OptWeighting finalHead(int heads) {
    return new OptWeighting(heads, Checks.heads(heads), "opt");
  }

  /** The trained head, 1-based. */
  public int head() {
    return head;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int heads() {
    return heads;
  }

  @Override
  public double[] weights(long step) {
    double[] b = new double[heads];
    b[head - 1] = 1.0;
    return b;
  }
}
