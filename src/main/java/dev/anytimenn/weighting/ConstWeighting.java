package dev.anytimenn.weighting;

import java.util.Arrays;

/** "const": B_i = 1 for every head. */
public final class ConstWeighting implements LossWeighting {
  private final int heads;

  public ConstWeighting(int heads) {
    this.heads = Checks.heads(heads);
  }

  @Override
  public String name() {
    return "const";
  }

  @Override
  public int heads() {
    return heads;
  }

  @Override
  public double[] weights(long step) {
    double[] b = new double[heads];
    Arrays.fill(b, 1.0);
    return b;
  }
}
