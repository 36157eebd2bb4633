package dev.anytimenn.infer;

/** Row-wise softmax of logits computed outside the DJL engine (ONNX Runtime's outputs). */
public final class Softmax {

    private Softmax() {}

    /** Softmax of each row of {@code logits} ([row * classes + class]), in a new array. */
    public static float[] rows(float[] logits, int classes) {
        float[] p = new float[logits.length];
        for (int start = 0; start < logits.length; start += classes) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[start + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                double e = Math.exp(logits[start + c] - max);
                p[start + c] = (float) e;
                sum += e;
            }
            for (int c = 0; c < classes; c++) {
                p[start + c] = (float) (p[start + c] / sum);
            }
        }
        return p;
    }
}
