package dev.anytimenn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConvolutionSelfCheckTest {

    @Test
    void referenceComputesAKnownConvolution() {
        // one 3x3 image 1..9, one 3x3 kernel of ones, "same" padding: each output sums its neighbourhood
        ConvolutionCase c = new ConvolutionCase(1, 1, 1, 3, 3, 1, 1);
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] w = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        assertThat(new ReferenceConvolution(c).compute(x, w, new float[9]).output())
                .containsExactly(12, 21, 16, 27, 45, 33, 24, 39, 28);
        ConvolutionCase strided = new ConvolutionCase(1, 1, 1, 3, 3, 2, 1);
        assertThat(new ReferenceConvolution(strided).compute(x, w, new float[4]).output())
                .containsExactly(12, 16, 24, 28);
        // two input channels, two output channels: weight index order OIHW, input NCHW
        ConvolutionCase twoByTwo = new ConvolutionCase(1, 2, 2, 1, 1, 1, 1);
        assertThat(new ReferenceConvolution(twoByTwo).compute(new float[] {3, 5}, new float[] {1, 2, 10, 20},
                new float[2]).output()).containsExactly(3 * 1 + 5 * 2, 3 * 10 + 5 * 20);
    }

    @Test
    void referenceGradientsAreTheAdjointsOfTheForward() {
        // <conv(x, w), dy> = <x, dL/dx> = <w, dL/dw> for L = <conv(x, w), dy>
        ConvolutionCase c = new ConvolutionCase(2, 3, 5, 7, 3, 2, 1);
        SplittableRandom random = new SplittableRandom(3);
        float[] x = random(random, 2 * 3 * 7 * 7);
        float[] w = random(random, 5 * 3 * 3 * 3);
        float[] dy = random(random, 2 * 5 * c.outSize() * c.outSize());
        ReferenceConvolution.Results ref = new ReferenceConvolution(c).compute(x, w, dy);
        double loss = dot(ref.output(), dy);
        assertThat(dot(ref.inputGradient(), x)).isCloseTo(loss, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(dot(ref.weightGradient(), w)).isCloseTo(loss, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void comparisonRejectsAZeroedBlockAndNonFiniteValuesButNotRounding() {
        double[] expected = {1.5, -2.0, 0.25, 4.0};
        assertThat(ConvolutionSelfCheck.relativeError(new float[] {1.5f, -2.0f, 0.25f, 4.000001f}, expected))
                .isLessThan(ConvolutionSelfCheck.TOLERANCE);
        assertThat(ConvolutionSelfCheck.relativeError(new float[] {1.5f, -2.0f, 0f, 0f}, expected))
                .isGreaterThan(ConvolutionSelfCheck.TOLERANCE);
        assertThat(ConvolutionSelfCheck.relativeError(new float[] {1.5f, Float.NaN, 0.25f, 4f}, expected)).isNaN();
        assertThat(ConvolutionSelfCheck.relativeError(new float[] {1.5f}, expected)).isNaN();
    }

    @Test
    void theCheckNamesAKernelThatZeroesWeights() {
        // the fault seen on affected CPUs: the right convolution with a block of weights zeroed
        ConvolutionKernel zeroesFirstInputChannel = (x, w, stride, padding) -> {
            NDArray damaged = w.duplicate();
            damaged.set(new NDIndex(":, 0"), 0f);
            return Convolutions.ENGINE.apply(x, w.sub(w).add(damaged), stride, padding);
        };
        List<ConvolutionCase> cases = List.of(new ConvolutionCase(2, 4, 8, 6, 3, 1, 1));
        try (NDManager manager = NDManager.newBaseManager()) {
            SelfCheckResult result = ConvolutionSelfCheck.run(manager, zeroesFirstInputChannel, cases);
            assertThat(result.ok()).isFalse();
            assertThat(result.mismatches()).extracting(SelfCheckResult.Mismatch::quantity)
                    .contains("forward", "input gradient");
            assertThat(result.summary()).contains("wrong").contains("4->8 channels");
        }
    }

    @Test
    void channelPaddingGivesTheSameConvolutionAndGradients() {
        // checked through the engine's 1x1-free path: a kernel that is exact (float64 reference) must stay so
        List<ConvolutionCase> cases = List.of(new ConvolutionCase(2, 3, 5, 6, 3, 1, 1),
                new ConvolutionCase(2, 20, 12, 7, 3, 2, 1), new ConvolutionCase(2, 16, 32, 6, 3, 2, 1));
        try (NDManager manager = NDManager.newBaseManager()) {
            SelfCheckResult padded = ConvolutionSelfCheck.run(manager,
                    Convolutions.channelPadded(ConvolutionSelfCheckTest::exactConvolution, 16), cases);
            assertThat(padded.ok()).as(padded.summary()).isTrue();
        }
    }

    @Test
    void paddingLeavesNothingOnTheWeightsManager() {
        try (NDManager model = NDManager.newBaseManager()) {
            NDArray weight = model.randomNormal(new ai.djl.ndarray.types.Shape(12, 20, 3, 3));
            int before = ((ai.djl.ndarray.BaseNDManager) model).getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                try (NDManager batch = model.newSubManager()) {
                    NDArray x = batch.randomNormal(new ai.djl.ndarray.types.Shape(2, 20, 6, 6));
                    NDArray y = Convolutions.channelPadded(ConvolutionSelfCheckTest::exactConvolution, 16)
                            .apply(x, weight, 1, 1);
                    assertThat(y.getShape()).isEqualTo(new ai.djl.ndarray.types.Shape(2, 12, 6, 6));
                }
            }
            assertThat(((ai.djl.ndarray.BaseNDManager) model).getManagedArrays()).hasSize(before);
        }
    }

    /**
     * A convolution computed as a sum of shifted 1x1 products (matrix products), independent of the engine's
     * convolution kernels, so the padding is tested even on an engine whose convolutions are wrong.
     */
    static NDArray exactConvolution(NDArray x, NDArray w, int stride, int padding) {
        long n = x.getShape().get(0);
        long size = x.getShape().get(2);
        int k = (int) w.getShape().get(2);
        long out = (size + 2L * padding - k) / stride + 1;
        NDArray padded = zeroPad(zeroPad(x, 2, padding), 3, padding);
        NDArray sum = null;
        for (int u = 0; u < k; u++) {
            for (int v = 0; v < k; v++) {
                NDArray patch = padded.get(new NDIndex(":, :, {}:{}:{}, {}:{}:{}", u, u + stride * (out - 1) + 1,
                        stride, v, v + stride * (out - 1) + 1, stride)); // N C out out
                NDArray tap = w.get(new NDIndex(":, :, {}, {}", u, v)); // O C
                NDArray y = tap.matMul(patch.transpose(1, 0, 2, 3).reshape(patch.getShape().get(1), -1)); // O N*o*o
                sum = sum == null ? y : sum.add(y);
            }
        }
        return sum.reshape(w.getShape().get(0), n, out, out).transpose(1, 0, 2, 3);
    }

    private static NDArray zeroPad(NDArray x, int axis, int padding) {
        if (padding == 0) {
            return x;
        }
        long[] dims = x.getShape().getShape().clone();
        dims[axis] = padding;
        NDArray zeros = x.getManager().zeros(new ai.djl.ndarray.types.Shape(dims));
        return zeros.concat(x, axis).concat(zeros, axis);
    }

    private static float[] random(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble(-1, 1);
        }
        return v;
    }

    private static double dot(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
