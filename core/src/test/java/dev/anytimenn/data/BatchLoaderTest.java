package dev.anytimenn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {

    private static final Normalization NORM = Normalization.singleChannel(0.25f, 0.5f);

    /** n random single-channel images whose label is their index, so batches reveal the order. */
    private static ImageSet indexed(int n, int side) {
        Random r = new Random(42);
        byte[] p = new byte[n * side * side];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (1 + r.nextInt(255)); // never 0, so padding is recognisable
        }
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = i;
        }
        return new ImageSet(p, l, 1, side, side, Math.max(n, 1));
    }

    private static List<Batch> all(BatchLoader loader) {
        try (loader) {
            List<Batch> out = new ArrayList<>();
            while (loader.hasNext()) {
                out.add(loader.next());
            }
            return out;
        }
    }

    private static int[] labels(List<Batch> batches) {
        return batches.stream().flatMapToInt(b -> Arrays.stream(b.labels())).toArray();
    }

    private static void assertSameBatches(List<Batch> a, List<Batch> b) {
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).labels()).isEqualTo(b.get(i).labels());
            assertThat(a.get(i).images()).isEqualTo(b.get(i).images());
        }
    }

    @Test
    void batchCount() {
        assertThat(BatchLoader.batchCount(103, 10, false)).isEqualTo(11);
        assertThat(BatchLoader.batchCount(103, 10, true)).isEqualTo(10);
        assertThat(BatchLoader.batchCount(100, 10, false)).isEqualTo(10);
        assertThat(BatchLoader.batchCount(0, 10, false)).isZero();
        assertThat(BatchLoader.batchCount(5, 10, true)).isZero();
        assertThatThrownBy(() -> BatchLoader.batchCount(5, 0, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shuffledEpochCoversEveryImageExactlyOnce() {
        ImageSet set = indexed(103, 3);
        BatchLoader loader = new BatchLoader(set, NORM, 10, Augmentation.NONE, true, false, 7, 0);
        assertThat(loader.batchesPerEpoch()).isEqualTo(11);
        List<Batch> batches = all(loader);
        assertThat(batches).hasSize(11);
        assertThat(batches.get(10).size()).isEqualTo(3);
        int[] seen = labels(batches);
        assertThat(seen).containsExactlyInAnyOrder(set.labels());
        assertThat(seen).isNotEqualTo(set.labels()); // actually shuffled
    }

    @Test
    void dropLastSkipsPartialBatch() {
        List<Batch> batches = all(new BatchLoader(indexed(103, 3), NORM, 10, Augmentation.NONE, true, true, 7, 0));
        assertThat(batches).hasSize(10).allSatisfy(b -> assertThat(b.size()).isEqualTo(10));
        assertThat(labels(batches)).doesNotHaveDuplicates().hasSize(100);
    }

    @Test
    void unshuffledKeepsDatasetOrder() {
        ImageSet set = indexed(25, 3);
        assertThat(labels(all(BatchLoader.forEvaluation(set, NORM, 8)))).isEqualTo(set.labels());
    }

    @Test
    void sameSeedAndEpochGiveIdenticalBatches() {
        ImageSet set = indexed(64, 6);
        Augmentation aug = new Augmentation(2, true);
        List<Batch> a = all(new BatchLoader(set, NORM, 10, aug, true, false, 123, 4));
        // A slow, jittery worker must not change anything: randomness depends on (seed, epoch, batch) only.
        Random jitter = new Random();
        IntConsumer slow = b -> sleep(jitter.nextInt(3));
        List<Batch> b = all(new BatchLoader(set, NORM, 10, aug, true, false, 123, 4, slow));
        assertSameBatches(a, b);
    }

    @Test
    void orderDependsOnEpochAndSeedButNotOnAugmentation() {
        ImageSet set = indexed(64, 3);
        int[] e0 = labels(all(new BatchLoader(set, NORM, 16, Augmentation.NONE, true, false, 1, 0)));
        int[] e1 = labels(all(new BatchLoader(set, NORM, 16, Augmentation.NONE, true, false, 1, 1)));
        int[] s2 = labels(all(new BatchLoader(set, NORM, 16, Augmentation.NONE, true, false, 2, 0)));
        int[] aug = labels(all(new BatchLoader(set, NORM, 16, new Augmentation(2, true), true, false, 1, 0)));
        assertThat(e1).isNotEqualTo(e0).containsExactlyInAnyOrder(e0);
        assertThat(s2).isNotEqualTo(e0);
        assertThat(aug).isEqualTo(e0);
    }

    @Test
    void imagesAreNormalisedPixels() {
        ImageSet set = indexed(10, 4);
        List<Batch> batches = all(new BatchLoader(set, NORM, 4, Augmentation.NONE, true, false, 3, 0));
        for (Batch b : batches) {
            assertThat(b.channels()).isEqualTo(1);
            assertThat(b.height()).isEqualTo(4);
            assertThat(b.width()).isEqualTo(4);
            for (int i = 0; i < b.size(); i++) {
                int src = b.labels()[i] * 16;
                for (int k = 0; k < 16; k++) {
                    assertThat(b.images()[i * 16 + k]).isEqualTo(NORM.apply(0, set.pixels()[src + k]));
                }
            }
        }
    }

    @Test
    void zeroPaddingWithoutFlipEqualsPlainImages() {
        ImageSet set = indexed(20, 5);
        List<Batch> plain = all(new BatchLoader(set, NORM, 6, Augmentation.NONE, true, false, 9, 2));
        List<Batch> noop = all(new BatchLoader(set, NORM, 6, new Augmentation(0, false), true, false, 9, 2));
        assertSameBatches(plain, noop);
    }

    /** Every augmented image is one of the 5 x 5 crops, possibly mirrored, and all of them occur. */
    @Test
    void augmentationIsARandomPaddedCropAndFlip() {
        int side = 6;
        int px = side * side;
        ImageSet set = indexed(1000, side);
        float[][] lut = NORM.lookupTables();
        List<Batch> batches = all(new BatchLoader(set, NORM, 64, new Augmentation(2, true), true, false, 5, 0));
        Set<String> combos = new HashSet<>();
        int mirrored = 0;
        for (Batch b : batches) {
            assertThat(b.images()).hasSize(b.size() * px);
            for (int i = 0; i < b.size(); i++) {
                float[] got = Arrays.copyOfRange(b.images(), i * px, (i + 1) * px);
                String match = null;
                for (int oy = 0; oy <= 4 && match == null; oy++) {
                    for (int ox = 0; ox <= 4 && match == null; ox++) {
                        for (boolean m : new boolean[] {false, true}) {
                            float[] want = new float[px];
                            Augmentation.render(set.pixels(), b.labels()[i] * px, 1, side, side, lut, 2, oy, ox, m,
                                    want, 0);
                            if (Arrays.equals(want, got)) {
                                match = oy + "," + ox + "," + m;
                                mirrored += m ? 1 : 0;
                                break;
                            }
                        }
                    }
                }
                assertThat(match).as("image %d matches some crop/flip", b.labels()[i]).isNotNull();
                combos.add(match);
            }
        }
        assertThat(combos).hasSize(50);
        assertThat(mirrored).isBetween(430, 570); // p = 0.5, n = 1000, +/- 4.4 sigma
    }

    @Test
    void closeMidEpochStopsWorker() {
        BatchLoader loader = new BatchLoader(indexed(500, 3), NORM, 1, Augmentation.NONE, true, false, 1, 0);
        assertThat(loader.worker().isDaemon()).isTrue();
        loader.next();
        loader.close();
        assertThat(loader.worker().isAlive()).isFalse();
        assertThat(loader.hasNext()).isFalse();
        assertThatThrownBy(loader::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        loader.close(); // idempotent
    }

    @Test
    void closeInterruptsBatchBeingAssembled() {
        IntConsumer stuck = b -> {
            if (b == 1) {
                sleep(60_000);
            }
        };
        BatchLoader loader =
                new BatchLoader(indexed(50, 3), NORM, 5, Augmentation.NONE, false, false, 1, 0, stuck);
        loader.next();
        long start = System.nanoTime();
        loader.close();
        assertThat(loader.worker().isAlive()).isFalse();
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.0);
    }

    @Test
    void workerFailureSurfacesFromNext() {
        IntConsumer failing = b -> {
            if (b == 2) {
                throw new IllegalArgumentException("boom in batch 2");
            }
        };
        BatchLoader loader =
                new BatchLoader(indexed(50, 3), NORM, 5, Augmentation.NONE, false, false, 1, 0, failing);
        loader.next();
        loader.next();
        assertThatThrownBy(loader::next)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("boom in batch 2")
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(loader::next).hasMessageContaining("boom in batch 2"); // sticky, never hangs
        assertThat(loader.worker().isAlive()).isFalse();
    }

    /** Three 3x2x2 images; each channel plane is normalised with its own mean and std. */
    @Test
    void colourImagesAreNormalisedPerChannel() {
        Normalization norm = new Normalization(new float[] {0.5f, 0.25f, 0f}, new float[] {0.5f, 0.25f, 1f});
        Random r = new Random(7);
        byte[] p = new byte[3 * 12];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) r.nextInt(256);
        }
        ImageSet set = new ImageSet(p, new int[] {0, 1, 2}, 3, 2, 2, 3);
        List<Batch> batches = all(new BatchLoader(set, norm, 2, Augmentation.NONE, true, false, 3, 0));
        assertThat(labels(batches)).containsExactlyInAnyOrder(0, 1, 2);
        for (Batch b : batches) {
            assertThat(b.channels()).isEqualTo(3);
            for (int i = 0; i < b.size(); i++) {
                float[] want = new float[12];
                for (int k = 0; k < 12; k++) {
                    int raw = p[b.labels()[i] * 12 + k] & 0xFF;
                    want[k] = ((raw / 255f) - norm.mean()[k / 4]) / norm.std()[k / 4];
                }
                assertThat(Arrays.copyOfRange(b.images(), i * 12, (i + 1) * 12)).containsExactly(want);
            }
        }
    }

    /** With padding far larger than the image, a crop is often pure padding: each channel's normalised 0. */
    @Test
    void colourPaddingIsPerChannel() {
        Normalization norm = new Normalization(new float[] {0.5f, 0.25f, 0f}, new float[] {0.5f, 0.25f, 1f});
        byte[] p = new byte[3 * 4 * 50];
        Arrays.fill(p, (byte) 255); // never 0, so every raw-0 value is padding
        ImageSet set = new ImageSet(p, new int[50], 3, 2, 2, 1);
        int padded = 0;
        for (Batch b : all(new BatchLoader(set, norm, 10, new Augmentation(8, false), true, false, 1, 0))) {
            for (int i = 0; i < b.size() * 12; i++) {
                float v = b.images()[i];
                int c = (i % 12) / 4;
                float pad = new float[] {-1f, -1f, 0f}[c];
                float pixel = new float[] {1f, 3f, 1f}[c];
                assertThat(v).isIn(pad, pixel);
                padded += v == pad ? 1 : 0;
            }
        }
        assertThat(padded).isPositive();
    }

    @Test
    void channelCountOfTheNormalisationMustMatch() {
        ImageSet colour = new ImageSet(new byte[12], new int[1], 3, 2, 2, 1);
        assertThatThrownBy(() -> new BatchLoader(colour, NORM, 1, Augmentation.NONE, false, false, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 channel(s) but the images have 3");
    }

    @Test
    void endOfEpoch() throws InterruptedException {
        BatchLoader loader = new BatchLoader(indexed(7, 3), NORM, 7, Augmentation.NONE, true, false, 1, 0);
        loader.next();
        assertThat(loader.hasNext()).isFalse();
        assertThatThrownBy(loader::next).isInstanceOf(NoSuchElementException.class);
        loader.worker().join(2_000);
        assertThat(loader.worker().isAlive()).isFalse(); // finishes on its own, close() is optional
        loader.close();
    }

    @Test
    void emptySetHasNoBatches() {
        ImageSet empty = new ImageSet(new byte[0], new int[0], 1, 3, 3, 10);
        assertThat(all(new BatchLoader(empty, NORM, 4, Augmentation.NONE, true, false, 1, 0))).isEmpty();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
