package dev.anytimenn.infer;

import dev.anytimenn.model.AnytimeNetwork;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One batch in which every row has its own {@link StoppingPolicy}: rows whose policy stops them
 * before a step, or lets them leave after an exit, leave the batch there (their rows are dropped from
 * the running tensors) and are answered at once through the {@link RowListener}; the others go on.
 * A server batches requests that arrived together this way, each with its own deadline.
 */
final class RowwiseRun {

    private final AnytimePredictor predictor;
    private final AnytimeNetwork net;
    private final InferenceSteps steps;

    RowwiseRun(AnytimePredictor predictor) {
        this.predictor = predictor;
        this.net = predictor.network();
        this.steps = predictor.steps();
    }

    List<Prediction> run(List<byte[]> images, List<? extends StoppingPolicy> policies, RowListener listener) {
        if (images.size() != policies.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + policies.size() + " policies");
        }
        int n = images.size();
        Prediction[] answers = new Prediction[n];
        float[][] latest = new float[n][];
        long start = predictor.now();
        try (InferenceSteps.Run stepper = steps.start(images)) {
            int[] active = new int[n];
            Arrays.setAll(active, i -> i);
            int latestExit = 0;
            long spent = 0;
            for (int step = 0; step < steps.count() && active.length > 0; step++) {
                long before = predictor.now();
                long macs = predictor.macsToNextExit(step);
                double expected = predictor.estimateToNextExit(step, active.length);
                int[] allowed = keep(active, r -> policies.get(r).mayRun(macs, expected, before));
                if (allowed.length < active.length) {
                    double elapsed = (before - start) / 1e6;
                    for (int r : active) {
                        if (!contains(allowed, r)) {
                            answers[r] = answer(latest[r], latestExit, spent, elapsed);
                            listener.answered(r, answers[r]);
                        }
                    }
                    active = narrow(stepper, active, allowed);
                    if (active.length == 0) {
                        break;
                    }
                }
                long stepStart = predictor.now(); // the answers above may have taken a while: not the step's
                Optional<float[]> logits = stepper.next();
                long stepMacs = predictor.stepMacs(step);
                spent += stepMacs;
                for (int r : active) {
                    policies.get(r).spent(stepMacs);
                }
                int exit = steps.exitAfter(step);
                if (logits.isPresent()) {
                    float[] probabilities = logits.get();
                    int classes = probabilities.length / active.length;
                    for (int k = 0; k < active.length; k++) {
                        latest[active[k]] = Arrays.copyOfRange(probabilities, k * classes, (k + 1) * classes);
                    }
                    latestExit = exit + 1;
                }
                long after = predictor.now();
                predictor.recordLatency(step, stepStart, after, active.length);
                if (logits.isPresent()) {
                    boolean last = exit == net.headCount() - 1;
                    double elapsed = (after - start) / 1e6;
                    int atExit = latestExit;
                    long spentSoFar = spent;
                    int[] going = keep(active, r -> {
                        Prediction p = answer(latest[r], atExit, spentSoFar, elapsed);
                        listener.reachedExit(r, p);
                        if (last || policies.get(r).done(exit, latest[r])) {
                            answers[r] = p;
                            listener.answered(r, p);
                            return false;
                        }
                        return true;
                    });
                    active = narrow(stepper, active, going);
                }
            }
            double elapsed = (predictor.now() - start) / 1e6;
            for (int r : active) { // only when the network has no units left but rows did not leave
                answers[r] = answer(latest[r], latestExit, spent, elapsed);
                listener.answered(r, answers[r]);
            }
        }
        return List.of(answers);
    }

    private static Prediction answer(float[] probabilities, int exit, long macs, double elapsedMs) {
        return probabilities == null ? new Prediction(-1, new float[0], 0, macs, elapsedMs)
                : new Prediction(AnytimePredictor.argMax(probabilities), probabilities, exit, macs, elapsedMs);
    }

    private interface RowTest {
        boolean test(int row);
    }

    /** The active rows (batch indices) that pass, in order; each row is tested once. */
    private static int[] keep(int[] active, RowTest test) {
        int[] kept = new int[active.length];
        int k = 0;
        for (int r : active) {
            if (test.test(r)) {
                kept[k++] = r;
            }
        }
        return Arrays.copyOf(kept, k);
    }

    private static boolean contains(int[] sorted, int row) {
        return Arrays.binarySearch(sorted, row) >= 0;
    }

    /** Drops the rows that left from the running tensors; returns the new active rows. */
    private static int[] narrow(InferenceSteps.Run stepper, int[] active, int[] going) {
        if (going.length == active.length || going.length == 0) {
            return going;
        }
        long[] positions = new long[going.length];
        for (int k = 0, p = 0; k < active.length; k++) {
            if (p < going.length && active[k] == going[p]) {
                positions[p++] = k;
            }
        }
        stepper.keepRows(positions);
        return going;
    }
}
