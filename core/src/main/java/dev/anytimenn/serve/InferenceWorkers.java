package dev.anytimenn.serve;

import dev.anytimenn.infer.Prediction;
import dev.anytimenn.infer.RowListener;
import dev.anytimenn.infer.StoppingPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission control: W inference threads fed from one bounded queue. A worker takes the oldest
 * waiting request and every other one waiting (up to the largest batch) and runs them as one batch in
 * which each leaves at its own exit ({@link ServedModel.Runner#run}). A full queue refuses at once.
 */
final class InferenceWorkers {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceWorkers.class);
    private static final long POLL_MS = 20;

    private final ServedModel model;
    private final int largestBatch;
    private final BlockingQueue<Job> queue;
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch warm;
    private final AtomicInteger alive = new AtomicInteger();
    private final AtomicReference<Throwable> startFailure = new AtomicReference<>();
    private final double[] firstExitMs;
    private volatile boolean stopping;

    InferenceWorkers(ServedModel model, int workers, int queueCapacity, int largestBatch) {
        this.model = model;
        this.largestBatch = largestBatch;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.warm = new CountDownLatch(workers);
        this.firstExitMs = new double[workers];
        for (int i = 0; i < workers; i++) {
            int id = i;
            Thread t = new Thread(() -> work(id), "anytime-worker-" + (i + 1));
            t.setDaemon(true);
            threads.add(t);
        }
    }

    /** Starts the workers; each warms its runner up first. */
    void start() {
        threads.forEach(Thread::start);
    }

    /** Whether every worker has warmed up; throws what a worker failed with while warming. */
    boolean ready() {
        Throwable failed = startFailure.get();
        if (failed != null) {
            throw new IllegalStateException("a worker could not start: " + failed.getMessage(), failed);
        }
        return warm.getCount() == 0;
    }

    boolean awaitReady(long timeout, TimeUnit unit) throws InterruptedException {
        long end = System.nanoTime() + unit.toNanos(timeout);
        while (System.nanoTime() < end) {
            if (ready()) {
                return true;
            }
            warm.await(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS);
        }
        return ready();
    }

    /** Queues the job; false when the queue is full or the workers are stopping. */
    boolean offer(Job job) {
        return !stopping && queue.offer(job);
    }

    int queued() {
        return queue.size();
    }

    int alive() {
        return alive.get();
    }

    /** The quickest worker's expected time to the first exit of one image, in ms (0 before any estimate). */
    double expectedMsToFirstExit() {
        double best = Double.POSITIVE_INFINITY;
        synchronized (firstExitMs) {
            for (double ms : firstExitMs) {
                if (ms > 0) {
                    best = Math.min(best, ms);
                }
            }
        }
        return Double.isInfinite(best) ? 0 : best;
    }

    /** Lets the workers finish what is queued, then ends them. */
    void stop(long timeoutMs) throws InterruptedException {
        stopping = true;
        long end = System.currentTimeMillis() + timeoutMs;
        for (Thread t : threads) {
            t.join(Math.max(1, end - System.currentTimeMillis()));
        }
    }

    private void work(int id) {
        alive.incrementAndGet();
        try (ServedModel.Runner runner = model.newRunner(largestBatch)) {
            publish(id, runner);
            warm.countDown();
            List<Job> batch = new ArrayList<>(largestBatch);
            while (true) {
                Job first = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, largestBatch - 1);
                runBatch(runner, batch);
                publish(id, runner);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            startFailure.compareAndSet(null, e);
            LOG.error("inference worker {} could not start: {}", id + 1, e.toString());
        } finally {
            alive.decrementAndGet();
        }
    }

    /** Runs one batch; a failure answers its unanswered jobs with 500 and leaves the worker running. */
    private void runBatch(ServedModel.Runner runner, List<Job> batch) {
        long taken = System.nanoTime();
        List<byte[]> images = new ArrayList<>(batch.size());
        List<StoppingPolicy> policies = new ArrayList<>(batch.size());
        for (Job job : batch) {
            job.progress().takenNanos = taken;
            images.add(job.request().pixels());
            policies.add(job.policy());
        }
        try {
            runner.run(images, policies, new RowListener() {
                @Override
                public void reachedExit(int row, Prediction atExit) {
                    Job job = batch.get(row);
                    job.reply().exitReached(job, atExit);
                }

                @Override
                public void answered(int row, Prediction answer) {
                    batch.get(row).answer(answer);
                }
            });
        } catch (RuntimeException | Error e) {
            LOG.error("inference failed on a batch of {}: {}", batch.size(), e.toString(), e);
            for (Job job : batch) {
                job.fail("inference failed: " + e.getClass().getSimpleName());
            }
        }
        for (Job job : batch) { // a runner that lost a row must not leave its client waiting
            job.fail("inference gave no answer");
        }
    }

    private void publish(int id, ServedModel.Runner runner) {
        synchronized (firstExitMs) {
            firstExitMs[id] = runner.expectedMsToFirstExit();
        }
    }
}
