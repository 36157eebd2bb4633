package dev.anytimenn.train;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/**
 * Self-distillation: each early head also minimises alpha T^2 KL(softmax(z_K / T) || softmax(z_i / T)),
 * the final head's logits z_K taken as a fixed target (no gradient flows into them from this term), on
 * top of its weighted cross-entropy. The T^2 keeps the gradient's scale independent of T (Hinton et al.);
 * the term is not multiplied by the head's loss weight, so a weighting that silences a head does not
 * silence its teacher signal.
 *
 * @param temperature T, above 0
 * @param alpha the term's weight, at least 0
 */
public record Distillation(double temperature, double alpha) {

    public Distillation {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("distill: the temperature T must be a number above 0, got " + temperature);
        }
        if (!(alpha >= 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("distill: alpha must be a number >= 0, got " + alpha);
        }
    }

    /** Reads "T:alpha", e.g. "3:0.5". */
    public static Distillation parse(String spec) {
        String[] parts = spec == null ? new String[0] : spec.trim().split(":", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("distill must be written T:alpha (e.g. 3:0.5), got '" + spec + "'");
        }
        try {
            return new Distillation(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("distill must be written T:alpha with two numbers (e.g. 3:0.5), got '"
                    + spec + "'", e);
        }
    }

    /** "T:alpha" as {@link #parse} reads it. */
    public String spec() {
        return String.format(Locale.ROOT, "%s:%s", trim(temperature), trim(alpha));
    }

    private static String trim(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * The term for one head, averaged over the batch: alpha T^2 mean_b KL(p_b || q_b) with
     * p = softmax(finalLogits / T) detached and q = softmax(headLogits / T); both (batch, classes).
     */
    public NDArray loss(NDArray headLogits, NDArray finalLogits) {
        float t = (float) temperature; // float scalars keep the arrays float32
        NDArray logP = finalLogits.stopGradient().div(t).logSoftmax(1);
        NDArray logQ = headLogits.div(t).logSoftmax(1);
        NDArray kl = logP.exp().mul(logP.sub(logQ)).sum(new int[] {1}).mean();
        return kl.mul((float) (alpha * temperature * temperature));
    }
}
