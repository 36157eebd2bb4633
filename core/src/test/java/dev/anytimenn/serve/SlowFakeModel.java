package dev.anytimenn.serve;

import dev.anytimenn.infer.ExitThresholds;
import dev.anytimenn.infer.Prediction;
import dev.anytimenn.infer.RowListener;
import dev.anytimenn.infer.StoppingPolicy;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.model.InputShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake network for the server's tests: 4x4 grey images, {@code exits} exits, each step sleeping
 * {@code stepMs}, so a test can make a backlog or keep a request in flight. It obeys the policies and
 * the listener as the real runner does; exit k answers class k-1 with probability 0.5 + 0.1 k. Steps
 * run for each image are counted under its first pixel (tests give each request its own).
 */
final class SlowFakeModel implements ServedModel {

    final int exits;
    final long stepMs;
    final Map<Integer, AtomicInteger> stepsRun = new ConcurrentHashMap<>();
    volatile boolean closed;

    SlowFakeModel(int exits, long stepMs) {
        this.exits = exits;
        this.stepMs = stepMs;
    }

    static byte[] image(int id) {
        byte[] pixels = new byte[16];
        pixels[0] = (byte) id;
        return pixels;
    }

    int stepsRun(int id) {
        AtomicInteger n = stepsRun.get(id);
        return n == null ? 0 : n.get();
    }

    @Override
    public InputShape inputShape() {
        return new InputShape(1, 4, 4);
    }

    @Override
    public List<String> classNames() {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < Math.max(exits, 2); k++) {
            names.add("class" + k);
        }
        return names;
    }

    @Override
    public List<ExitCost> exits() {
        List<ExitCost> costs = new ArrayList<>();
        for (int k = 1; k <= exits; k++) {
            costs.add(new ExitCost(k, k, 1000, 1000L * k));
        }
        return costs;
    }

    @Override
    public Optional<ExitThresholds> thresholds() {
        return Optional.empty();
    }

    @Override
    public Runner newRunner(int largestBatch) {
        return new Runner() {
            @Override
            public List<Prediction> run(List<byte[]> images, List<? extends StoppingPolicy> policies,
                    RowListener listener) {
                long start = System.nanoTime();
                Prediction[] answers = new Prediction[images.size()];
                boolean[] active = new boolean[images.size()];
                Arrays.fill(active, true);
                Prediction[] latest = new Prediction[images.size()];
                for (int k = 1; k <= exits; k++) {
                    long now = System.nanoTime();
                    boolean any = false;
                    for (int r = 0; r < images.size(); r++) {
                        if (active[r] && !policies.get(r).mayRun(1000, stepMs * 1e6, now)) {
                            active[r] = false;
                            answers[r] = latest[r] != null ? latest[r] : new Prediction(-1, new float[0], 0, 1000L * (k - 1),
                                    (now - start) / 1e6);
                            listener.answered(r, answers[r]);
                        }
                        any |= active[r];
                    }
                    if (!any) {
                        break;
                    }
                    sleep(stepMs);
                    for (int r = 0; r < images.size(); r++) {
                        if (!active[r]) {
                            continue;
                        }
                        stepsRun.computeIfAbsent((int) images.get(r)[0], id -> new AtomicInteger()).incrementAndGet();
                        policies.get(r).spent(1000);
                        float[] p = new float[classNames().size()];
                        Arrays.fill(p, (0.5f - 0.1f * k) / (p.length - 1));
                        p[k - 1] = 0.5f + 0.1f * k;
                        latest[r] = new Prediction(k - 1, p, k, 1000L * k, (System.nanoTime() - start) / 1e6);
                        listener.reachedExit(r, latest[r]);
                        if (k == exits || policies.get(r).done(k - 1, p)) {
                            active[r] = false;
                            answers[r] = latest[r];
                            listener.answered(r, latest[r]);
                        }
                    }
                }
                return List.of(answers);
            }

            @Override
            public double expectedMsToFirstExit(int batch) {
                return stepMs;
            }
        };
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
