package dev.anytimenn.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Iterates the batches of ONE epoch, assembling them on a background daemon thread so the next batch is
 * ready when the training step ends.
 *
 * <p>Everything random is a pure function of {@code (seed, epoch)} (order) and
 * {@code (seed, epoch, batch index)} (augmentation), never of thread timing or of earlier epochs, so a run
 * resumed at epoch e sees exactly the batches an uninterrupted run would have seen.
 *
 * <p>Not thread-safe: one consumer thread calls {@link #next()}; {@link #close()} may come from any thread.
 */
public final class BatchLoader implements Iterator<Batch>, AutoCloseable {

    /** Enough to hide assembly latency; more would only hold memory. */
    static final int QUEUE_CAPACITY = 3;

    private static final long ORDER_STREAM = 1;
    private static final long AUGMENT_STREAM = 2;
    private static final long POLL_MILLIS = 100;
    private static final long JOIN_MILLIS = 5_000;

    private final ImageSet set;
    private final float[][] luts;
    private final int batchSize;
    private final Augmentation augmentation;
    private final long seed;
    private final int epoch;
    private final int[] order;
    private final int batches;
    private final IntConsumer beforeBatch;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread worker;

    private int delivered;
    private RuntimeException failure;
    private volatile boolean closed;

    public BatchLoader(ImageSet set, Normalization norm, int batchSize, Augmentation aug, boolean shuffle,
            boolean dropLast, long seed, int epoch) {
        this(set, norm, batchSize, aug, shuffle, dropLast, seed, epoch, b -> {});
    }

    /** @param beforeBatch test seam, called on the worker thread before assembling each batch */
    BatchLoader(ImageSet set, Normalization norm, int batchSize, Augmentation aug, boolean shuffle,
            boolean dropLast, long seed, int epoch, IntConsumer beforeBatch) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.set = Objects.requireNonNull(set, "set");
        norm.requireChannels(set.channels());
        this.luts = norm.lookupTables();
        this.batchSize = batchSize;
        this.augmentation = Objects.requireNonNull(aug, "aug");
        this.seed = seed;
        this.epoch = epoch;
        this.order = shuffle ? SplitMix64.permutation(set.size(), SplitMix64.derive(seed, epoch, ORDER_STREAM))
                : identity(set.size());
        this.batches = batchCount(set.size(), batchSize, dropLast);
        this.beforeBatch = beforeBatch;
        this.worker = new Thread(this::produce, "batch-loader-epoch-" + epoch);
        worker.setDaemon(true); // an abandoned loader must never keep the JVM alive
        worker.start();
    }

    /** Loader for evaluation: dataset order, no augmentation, a final partial batch. */
    public static BatchLoader forEvaluation(ImageSet set, Normalization norm, int batchSize) {
        return new BatchLoader(set, norm, batchSize, Augmentation.NONE, false, false, 0L, 0);
    }

    public static int batchCount(int size, int batchSize, boolean dropLast) {
        if (size < 0 || batchSize <= 0) {
            throw new IllegalArgumentException("need size >= 0 and batchSize > 0, got " + size + ", " + batchSize);
        }
        return dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
    }

    public int batchesPerEpoch() {
        return batches;
    }

    /** False once the epoch is exhausted or the loader is closed. */
    @Override
    public boolean hasNext() {
        return !closed && delivered < batches;
    }

    /**
     * @throws IllegalStateException wrapping whatever failed on the worker thread, or when closed
     */
    @Override
    public Batch next() {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IllegalStateException("batch loader is closed");
        }
        if (delivered >= batches) {
            throw new NoSuchElementException("epoch " + epoch + " has only " + batches + " batches");
        }
        Object item = take();
        if (item instanceof Failure f) {
            failure = new IllegalStateException("batch assembly failed on the loader thread: " + f.error(), f.error());
            close();
            throw failure;
        }
        delivered++;
        return (Batch) item;
    }

    /** Stops the worker, also mid-epoch, and waits briefly for it to exit. Idempotent. */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.clear(); // drop prefetched batches so their memory is released with the loader
    }

    /** For tests: the background thread. */
    Thread worker() {
        return worker;
    }

    private Object take() {
        try {
            while (true) {
                Object item = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (item != null) {
                    return item;
                }
                if (closed) {
                    throw new IllegalStateException("batch loader was closed while waiting for the next batch");
                }
                // The worker always enqueues a batch or a Failure, but never risk blocking the trainer forever.
                if (!worker.isAlive() && queue.isEmpty()) {
                    throw new IllegalStateException("batch loader thread stopped without delivering batch "
                            + delivered + " of " + batches);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the next batch", e);
        }
    }

    private void produce() {
        try {
            for (int b = 0; b < batches; b++) {
                if (closed) {
                    return;
                }
                beforeBatch.accept(b);
                queue.put(assemble(b));
            }
        } catch (InterruptedException e) {
            // close() was called; nobody is waiting for more batches
        } catch (Throwable t) {
            if (!closed) {
                try {
                    queue.put(new Failure(t));
                } catch (InterruptedException ignored) {
                    // closed while reporting: the consumer is gone
                }
            }
        }
    }

    private Batch assemble(int b) throws InterruptedException {
        int start = b * batchSize;
        int n = Math.min(batchSize, order.length - start);
        int px = set.imageSize();
        int plane = set.height() * set.width();
        byte[] pixels = set.pixels();
        float[] images = new float[n * px];
        int[] labels = new int[n];
        SplitMix64 rng = augmentation.isNone() ? null
                : new SplitMix64(SplitMix64.derive(seed, epoch, AUGMENT_STREAM, b));
        for (int i = 0; i < n; i++) {
            if (Thread.interrupted()) {
                throw new InterruptedException(); // close() mid-batch: stop without finishing a large batch
            }
            int idx = order[start + i];
            labels[i] = set.labels()[idx];
            if (rng == null) {
                for (int c = 0, s = idx * px, d = i * px; c < luts.length; c++, s += plane, d += plane) {
                    float[] lut = luts[c];
                    for (int k = 0; k < plane; k++) {
                        images[d + k] = lut[pixels[s + k] & 0xFF];
                    }
                }
            } else {
                augmentation.apply(pixels, idx * px, set.channels(), set.height(), set.width(), luts, rng,
                        images, i * px);
            }
        }
        return new Batch(images, labels, n, set.channels(), set.height(), set.width());
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    private record Failure(Throwable error) {}
}
