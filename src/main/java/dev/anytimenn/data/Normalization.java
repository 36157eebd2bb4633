package dev.anytimenn.data;

/** Per-data-set mean/std standardisation of pixels scaled to [0, 1]. */
public record Normalization(float mean, float std) {

    public Normalization {
        if (!Float.isFinite(mean) || !Float.isFinite(std) || std <= 0) {
            throw new IllegalArgumentException("need a finite mean and a positive std, got " + mean + ", " + std);
        }
    }

    /**
     * Population mean and std over every pixel of {@code train}. Fit on the training split only, so the
     * validation and test sets are normalised with statistics they did not contribute to.
     */
    public static Normalization fit(ImageSet train) {
        byte[] px = train.pixels();
        if (px.length == 0) {
            throw new IllegalArgumentException("cannot fit a normalisation on an empty image set");
        }
        // Integer sums are exact (47M pixels * 255^2 fits a long easily), so only the final division rounds.
        long sum = 0;
        long sumSq = 0;
        for (byte b : px) {
            int v = b & 0xFF;
            sum += v;
            sumSq += (long) v * v;
        }
        double n = px.length;
        double mean = sum / n / 255.0;
        double var = Math.max(0, sumSq / n / (255.0 * 255.0) - mean * mean);
        double std = Math.sqrt(var);
        // A constant image set has std 0; dividing by 1 then just centres it instead of producing NaN.
        return new Normalization((float) mean, std > 1e-12 ? (float) std : 1f);
    }

    /** Normalised value of one raw pixel; accepts 0..255 or a sign-extended byte. */
    public float apply(int pixelByte) {
        return ((pixelByte & 0xFF) / 255f - mean) / std;
    }

    /** {@link #apply} for every byte value, so hot loops do a table lookup instead of arithmetic. */
    public float[] lookupTable() {
        float[] lut = new float[256];
        for (int i = 0; i < lut.length; i++) {
            lut[i] = apply(i);
        }
        return lut;
    }
}
