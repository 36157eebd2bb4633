package dev.anytimenn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a small, learnable stand-in for Fashion-MNIST (same file names, 28x28, 10 classes) so training and
 * CLI tests can run where the real data set is not installed.
 *
 * <p>Each class is a distinct spatial pattern (bars, block, ring, diagonals, cross, corner blocks), drawn
 * with random +/-2 px shifts, random contrast and Gaussian pixel noise: a small CNN separates it within a
 * few hundred steps, yet a single fixed template does not fit every image.
 */
public final class SyntheticIdx {

    public static final int SIZE = 28;
    public static final int CLASSES = 10;
    private static final int MAX_SHIFT = 2;
    private static final double NOISE_STD = 60;
    private static final int BLOB = 4;

    private SyntheticIdx() {}

    /** Writes the four Fashion-MNIST-named .gz files into {@code dir} (created if needed) and returns it. */
    public static Path writeLearnable(Path dir, int trainCount, int testCount, long seed) throws IOException {
        Files.createDirectories(dir);
        // Separate streams, so changing trainCount leaves the test split unchanged.
        write(dir, FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS, trainCount, new Random(seed));
        write(dir, FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS, testCount, new Random(~seed));
        return dir;
    }

    private static void write(Path dir, String imagesName, String labelsName, int count, Random rnd)
            throws IOException {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % CLASSES); // balanced classes
        }
        for (int i = count - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            byte t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        byte[] pixels = new byte[count * SIZE * SIZE];
        for (int i = 0; i < count; i++) {
            draw(labels[i], rnd, pixels, i * SIZE * SIZE);
        }
        IdxWriter.write(dir.resolve(imagesName + ".gz"), new int[] {count, SIZE, SIZE}, pixels, true);
        IdxWriter.write(dir.resolve(labelsName + ".gz"), new int[] {count}, labels, true);
    }

    private static void draw(int cls, Random rnd, byte[] out, int offset) {
        int sy = rnd.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
        int sx = rnd.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
        double contrast = 110 + 145 * rnd.nextDouble();
        // A class-independent distractor blob, so no pixel on its own gives the class away.
        int by = rnd.nextInt(SIZE - BLOB + 1);
        int bx = rnd.nextInt(SIZE - BLOB + 1);
        double blob = 255 * rnd.nextDouble();
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double v = inside(cls, y - sy, x - sx) ? contrast : 0;
                if (in(y, by, by + BLOB - 1) && in(x, bx, bx + BLOB - 1)) {
                    v = Math.max(v, blob);
                }
                v += NOISE_STD * rnd.nextGaussian();
                out[offset + y * SIZE + x] = (byte) Math.max(0, Math.min(255, Math.round(v)));
            }
        }
    }

    /** Whether pixel (y, x) of the unshifted template for {@code cls} is foreground. */
    static boolean inside(int cls, int y, int x) {
        switch (cls) {
            case 0: return in(y, 4, 7) && in(x, 6, 21);            // top bar
            case 1: return in(x, 4, 7) && in(y, 6, 21);            // left bar
            case 2: return in(y, 20, 23) && in(x, 6, 21);          // bottom bar
            case 3: return in(x, 20, 23) && in(y, 6, 21);          // right bar
            case 4: return in(y, 10, 17) && in(x, 10, 17);         // centre block
            case 5: {                                              // ring
                double d = Math.hypot(y - 13.5, x - 13.5);
                return d >= 6.5 && d <= 9;
            }
            case 6: return Math.abs(y - x) <= 1 && in(y, 4, 23);   // diagonal
            case 7: return Math.abs(y + x - 27) <= 1 && in(y, 4, 23); // anti-diagonal
            case 8: return (in(y, 12, 15) && in(x, 5, 22)) || (in(x, 12, 15) && in(y, 5, 22)); // cross
            case 9: return (in(y, 4, 9) && in(x, 4, 9)) || (in(y, 18, 23) && in(x, 18, 23)); // corner blocks
            default: throw new IllegalArgumentException("class " + cls);
        }
    }

    private static boolean in(int v, int lo, int hi) {
        return v >= lo && v <= hi;
    }
}
