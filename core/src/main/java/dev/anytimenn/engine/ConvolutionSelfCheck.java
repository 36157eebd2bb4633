package dev.anytimenn.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Computes a few convolutions, their input gradients and weight gradients through the engine and
 * compares each with {@link ReferenceConvolution}. Why: libtorch 2.7.1's oneDNN returns wrong 3x3
 * convolutions on CPUs whose cache sizes it cannot read (bench/RESULTS.md, #13), silently, so training
 * diverges or learns garbage. A few milliseconds at start-up make that a named failure.
 */
public final class ConvolutionSelfCheck {

    /**
     * Relative error (max abs difference over max abs reference) above which a result is wrong. Float32
     * sums of a few hundred products agree with float64 to about 1e-6; the fault zeroes whole weight
     * blocks or returns garbage, errors of order 1.
     */
    static final double TOLERANCE = 1e-3;

    private ConvolutionSelfCheck() {}

    /**
     * The shapes checked by default: 3x3 convolutions with 4, 8, 12 and 24 channels in and out (the fault
     * hits channel counts that are not a multiple of the SIMD block, 8 or 16), stride 1 and 2, on 1 and
     * 2 threads (with 2 the fault gives garbage rather than zeroed blocks). Batch 4: oneDNN, where the
     * fault is, runs 3x3 convolutions only for batches above 1.
     */
    public static List<ConvolutionCase> defaultCases(int maxThreads) {
        int[][] channels = {{4, 8}, {8, 12}, {12, 24}, {24, 12}, {24, 24}, {8, 4}, {16, 24}, {24, 16}};
        List<ConvolutionCase> cases = new ArrayList<>();
        for (int threads = 1; threads <= Math.min(2, maxThreads); threads++) {
            for (int stride = 1; stride <= 2; stride++) {
                for (int[] pair : channels) {
                    cases.add(new ConvolutionCase(4, pair[0], pair[1], 8, 3, stride, threads));
                }
            }
        }
        return cases;
    }

    /** Checks {@code cases} through {@code kernel}; restores the engine's thread count afterwards. */
    public static SelfCheckResult run(NDManager parent, ConvolutionKernel kernel, List<ConvolutionCase> cases) {
        long start = System.nanoTime();
        List<SelfCheckResult.Mismatch> mismatches = new ArrayList<>();
        int threadsBefore = JniUtils.getNumThreads();
        boolean gradModeBefore = JniUtils.isGradMode();
        try {
            for (ConvolutionCase c : cases) {
                JniUtils.setNumThreads(c.threads());
                check(parent, kernel, c, mismatches);
            }
        } finally {
            JniUtils.setNumThreads(threadsBefore);
            JniUtils.setGradMode(gradModeBefore);
        }
        return new SelfCheckResult(cases.size() * 3, List.copyOf(mismatches), (System.nanoTime() - start) / 1e6);
    }

    private static void check(NDManager parent, ConvolutionKernel kernel, ConvolutionCase c,
            List<SelfCheckResult.Mismatch> mismatches) {
        SplittableRandom random = new SplittableRandom(31L * c.hashCode() + 7);
        float[] x = uniform(random, c.batch() * c.inChannels() * c.size() * c.size());
        float[] w = uniform(random, c.outChannels() * c.inChannels() * c.kernel() * c.kernel());
        float[] dy = uniform(random, c.batch() * c.outChannels() * c.outSize() * c.outSize());
        float[][] engine = engineResults(parent, kernel, c, x, w, dy);
        ReferenceConvolution.Results reference = new ReferenceConvolution(c).compute(x, w, dy);
        compare(c, "forward", engine[0], reference.output(), mismatches);
        compare(c, "input gradient", engine[1], reference.inputGradient(), mismatches);
        compare(c, "weight gradient", engine[2], reference.weightGradient(), mismatches);
    }

    /**
     * Output, input gradient and weight gradient of sum(conv(x, w) * dy), through the engine's autograd. Not
     * through a GradientCollector: DJL allows one open per process, and a check must not break a training step
     * that holds one on another thread. Grad mode is this thread's and is restored by {@link #run}.
     */
    private static float[][] engineResults(NDManager parent, ConvolutionKernel kernel, ConvolutionCase c, float[] x,
            float[] w, float[] dy) {
        try (NDManager manager = parent.newSubManager()) {
            JniUtils.setGradMode(true);
            NDArray input = manager.create(x, new Shape(c.batch(), c.inChannels(), c.size(), c.size()));
            NDArray weight = manager.create(w, new Shape(c.outChannels(), c.inChannels(), c.kernel(), c.kernel()));
            NDArray outGrad = manager.create(dy, new Shape(c.batch(), c.outChannels(), c.outSize(), c.outSize()));
            input.setRequiresGradient(true);
            weight.setRequiresGradient(true);
            NDArray output = kernel.apply(input, weight, c.stride(), c.kernel() / 2);
            NDArray loss = output.mul(outGrad).sum();
            JniUtils.backward((PtNDArray) loss, (PtNDArray) manager.ones(loss.getShape()), false, false);
            return new float[][] {output.toFloatArray(), input.getGradient().toFloatArray(),
                weight.getGradient().toFloatArray()};
        }
    }

    static void compare(ConvolutionCase c, String quantity, float[] actual, double[] expected,
            List<SelfCheckResult.Mismatch> mismatches) {
        double error = relativeError(actual, expected);
        if (!(error <= TOLERANCE)) { // NaN fails too
            mismatches.add(new SelfCheckResult.Mismatch(c, quantity, error));
        }
    }

    /** max |actual - expected| / max |expected|; NaN when any value is not finite or the lengths differ. */
    static double relativeError(float[] actual, double[] expected) {
        if (actual.length != expected.length) {
            return Double.NaN;
        }
        double maxDiff = 0;
        double scale = 0;
        for (int i = 0; i < actual.length; i++) {
            if (!Float.isFinite(actual[i])) {
                return Double.NaN;
            }
            maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return maxDiff / Math.max(scale, 1e-12);
    }

    private static float[] uniform(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }
}
