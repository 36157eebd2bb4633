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
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission control: W inference threads fed from one bounded queue. A worker takes the oldest
 * waiting request and every other one waiting (up to the largest batch) and runs them as one batch in
 * which each leaves at its own exit ({@link ServedModel.Runner#run}). A full queue refuses at once.
 *
 * <p>A batch left alone runs each row as deep as its deadline allows, and the requests queued behind it
 * would spend their own deadlines waiting. So the queue is also the {@link Backlog} the rows' policies ask
 * at each exit: when every worker is busy and a waiting request could no longer reach its first exit if
 * the batch ran one more step, the batch stops there and its rows take the answers they have.
 * Under load the answers get cruder, not later.
 */
final class InferenceWorkers implements Backlog {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceWorkers.class);
    private static final long POLL_MS = 20;

    private final ServedModel model;
    private final int largestBatch;
    private final BlockingQueue<Job> queue;
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch warm;
    private final AtomicInteger alive = new AtomicInteger();
    private final AtomicInteger idle = new AtomicInteger();
    /** Per worker, when it is next expected to be free to take waiting requests ({@link System#nanoTime()}). */
    private final AtomicLongArray busyUntil;
    /** Per worker, how many rows its running batch holds (their answers are handed over before it is free). */
    private final AtomicIntegerArray running;
    /** A recent average of the worker's time to hand one answer over (JSON, write, metrics), in ns. */
    private volatile double handOverNanos;
    private final AtomicInteger handOvers = new AtomicInteger();
    private static final int COLD_HAND_OVERS = 32;
    private static final long MAX_HAND_OVER_NANOS = 1_000_000;
    private static final ThreadLocal<Integer> WORKER = new ThreadLocal<>();
    private final AtomicReference<Throwable> startFailure = new AtomicReference<>();
    /** Per worker, its runner's expected ms to the first exit of a batch of b + 1 images (null before warm-up). */
    private final double[][] firstExitMs;
    private volatile boolean stopping;

    InferenceWorkers(ServedModel model, int workers, int queueCapacity, int largestBatch) {
        this.model = model;
        this.largestBatch = largestBatch;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.warm = new CountDownLatch(workers);
        this.firstExitMs = new double[workers][];
        this.busyUntil = new AtomicLongArray(workers);
        this.running = new AtomicIntegerArray(workers);
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

    /** The quickest worker's expected ms to the first exit of a batch of {@code batch} (0 before any estimate). */
    double expectedMsToFirstExit(int batch) {
        int b = Math.max(1, Math.min(batch, largestBatch));
        double best = Double.POSITIVE_INFINITY;
        synchronized (firstExitMs) {
            for (double[] ms : firstExitMs) {
                if (ms != null && ms[b - 1] > 0) {
                    best = Math.min(best, ms[b - 1]);
                }
            }
        }
        return Double.isInfinite(best) ? 0 : best;
    }

    /**
     * The expected ms from {@code nowNanos} until a request queued now has its first exit's answer: until a
     * worker is free (an idle one at once, a busy one at the next exit where its batch may stop), then
     * the full batches queued ahead of it (shared among the workers), then its own batch's first exit.
     */
    double expectedMsToFirstAnswer(long nowNanos) {
        double free = 0;
        if (idle.get() == 0) {
            long soonest = Long.MAX_VALUE;
            for (int i = 0; i < busyUntil.length(); i++) {
                soonest = Math.min(soonest, busyUntil.get(i));
            }
            free = Math.max(0, soonest - nowNanos) / 1e6;
        }
        int ahead = queue.size();
        double fullBatches = Math.ceil(ahead / largestBatch / (double) threads.size()) * msToFirstAnswers(largestBatch);
        return free + fullBatches + msToFirstAnswers(ahead % largestBatch + 1);
    }

    /**
     * Whether a worker is idle and nothing waits, so a request queued now is taken at once. Admission then
     * lets the worker judge it: a worker that runs nothing measures nothing, and estimates held high by a
     * slow spell would otherwise refuse every request for good.
     */
    boolean takesAtOnce() {
        return idle.get() > 0 && queue.isEmpty();
    }

    /** Expected ms from the start of a batch of {@code batch} until its first exit's answers are all handed over. */
    private double msToFirstAnswers(int batch) {
        return msToFirstAnswers(expectedMsToFirstExit(batch), batch);
    }

    /** The same from a given estimate of the way to the first exit: that, and each row's answer handed over. */
    private double msToFirstAnswers(double firstExitMs, int batch) {
        return firstExitMs + batch * handOverNanos / 1e6;
    }

    @Override
    public boolean waitingWouldMiss(double expectedNanosToNextExit, long nowNanos) {
        boolean miss = aWaitingRequestWouldMiss(expectedNanosToNextExit, nowNanos);
        Integer id = WORKER.get();
        if (id != null) {
            busyUntil.set(id, miss ? nowNanos : nowNanos + (long) expectedNanosToNextExit);
        }
        return miss;
    }

    /**
     * Whether a waiting request would miss its first exit if the running batch took one more step. Every
     * waiting batch is judged, not only the oldest request: admission promised each of them that the
     * batches ahead stop at their first exits. Waiting batch j starts once the running batch has handed its
     * answers over and j / W full batches ahead of it have reached their first exits; its own way to its
     * first exit gets half as much again, being an estimate. A batch that would miss even if the running one
     * stopped now still stops it: under overload the worker then reaches that batch sooner, refuses it, and
     * frees the ones behind it sooner (bench/RESULTS.md #15, session 12, has one A/B pair of the other choice).
     */
    private boolean aWaitingRequestWouldMiss(double expectedNanosToNextExit, long nowNanos) {
        if (idle.get() > 0) {
            return false; // an idle worker takes the waiting requests at once
        }
        Object[] waiting = queue.toArray();
        if (waiting.length == 0) {
            return false;
        }
        Integer id = WORKER.get();
        double handOver = (id == null ? 1 : running.get(id)) * handOverNanos;
        double fullBatch = msToFirstAnswers(largestBatch) * 1e6;
        int workers = threads.size();
        for (int first = 0; first < waiting.length; first += largestBatch) {
            int size = Math.min(largestBatch, waiting.length - first);
            long workEnd = Long.MAX_VALUE;
            for (int i = first; i < first + size; i++) {
                workEnd = Math.min(workEnd, ((Job) waiting[i]).workEndNanos());
            }
            double firstAnswer = nowNanos + expectedNanosToNextExit + handOver + (first / largestBatch / workers) * fullBatch
                    + 1.5 * msToFirstAnswers(size) * 1e6;
            if (firstAnswer > workEnd) {
                return true;
            }
        }
        return false;
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
        WORKER.set(id);
        alive.incrementAndGet();
        try (ServedModel.Runner runner = model.newRunner(largestBatch)) {
            publish(id, runner);
            warm.countDown();
            List<Job> batch = new ArrayList<>(largestBatch);
            while (true) {
                idle.incrementAndGet();
                Job first;
                try {
                    first = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
                } finally {
                    idle.decrementAndGet();
                }
                if (first == null) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, largestBatch - 1);
                runBatch(id, runner, batch);
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
    private void runBatch(int id, ServedModel.Runner runner, List<Job> batch) {
        long taken = System.nanoTime();
        // no batch stops before its first exit: until then the worker is not free (see waitingWouldMiss)
        running.set(id, batch.size());
        busyUntil.set(id, taken + (long) (msToFirstAnswers(runner.expectedMsToFirstExit(batch.size()), batch.size()) * 1e6));
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
                    long start = System.nanoTime();
                    batch.get(row).answer(answer);
                    handedOver(System.nanoTime() - start);
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

    /**
     * Keeps a recent average (the last 64 or so) of the time one answer took to hand over. The first ones
     * pay for loading and compiling the answer's path and are left out, and one sample counts for at most
     * 1 ms: an estimate held high by a stall would refuse every request, and refused requests hand nothing
     * over that could bring it down again.
     */
    private void handedOver(long nanos) {
        if (handOvers.getAndIncrement() < COLD_HAND_OVERS) {
            return;
        }
        double h = handOverNanos;
        double sample = Math.min(nanos, MAX_HAND_OVER_NANOS);
        handOverNanos = h == 0 ? sample : h + (sample - h) / 64;
    }

    private void publish(int id, ServedModel.Runner runner) {
        double[] ms = new double[largestBatch];
        for (int b = 1; b <= largestBatch; b++) {
            ms[b - 1] = runner.expectedMsToFirstExit(b);
        }
        synchronized (firstExitMs) {
            firstExitMs[id] = ms;
        }
    }
}
