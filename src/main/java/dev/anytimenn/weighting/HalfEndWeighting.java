package dev.anytimenn.weighting;

/** "half-end": B_i = 1/(K-1) for the early heads and B_K = 1, so the final head carries half the total; K = 1 gives [1]. */
public final class HalfEndWeighting implements LossWeighting {
  private final int heads;

  public HalfEndWeighting(int heads) {
    this.heads = Checks.heads(heads);
  }

  @Override
  public String name() {
    return "half-end";
  }

  @Override
  public int heads() {
    return heads;
  }

  @Override
  public double[] weights(long step) {
    double[] b = new double[heads];
    for (int i = 0; i < heads - 1; i++) {
      b[i] = 1.0 / (heads - 1);
    }
    b[heads - 1] = 1.0;
    return b;
  }
}
