package dev.anytimenn.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/** The convolution kernels the library can run: the engine's own, and one with channels padded to 16. */
public final class Convolutions {

    /**
     * The channel multiples tried, in order: 16 floats is the widest SIMD block of the CPUs we run on (AVX-512,
     * a multiple of AVX2's 8); some strided shapes are still wrong at 16 and right at 32 (bench/RESULTS.md, #13).
     */
    static final int[] CHANNEL_BLOCKS = {16, 32};

    /** The engine's convolution as it is. */
    public static final ConvolutionKernel ENGINE = Convolutions::engine;

    /**
     * The same convolution with input and output channels zero-padded to multiples of 16, the output cut
     * back to its real channels. The padded channels add zeros to every sum and
     * their gradients are dropped, so the result and both gradients equal the unpadded ones; the engine
     * only ever sees channel counts that fill whole SIMD blocks, where its faulty weight reorder is not used.
     */
    public static final ConvolutionKernel CHANNEL_PADDED = channelPadded(ENGINE, CHANNEL_BLOCKS[0]);

    private Convolutions() {}

    private static NDArray engine(NDArray input, NDArray weight, int stride, int padding) {
        return Conv2d.conv2d(input, weight, null, new Shape(stride, stride), new Shape(padding, padding))
                .singletonOrThrow();
    }

    /** {@code base} with channels padded to multiples of {@code block}, as {@link #CHANNEL_PADDED} describes. */
    static ConvolutionKernel channelPadded(ConvolutionKernel base, int block) {
        return (input, weight, stride, padding) -> channelPadded(base, block, input, weight, stride, padding);
    }

    private static NDArray channelPadded(ConvolutionKernel base, int block, NDArray input, NDArray weight,
            int stride, int padding) {
        Shape w = weight.getShape();
        int out = (int) w.get(0);
        int in = (int) w.get(1);
        int padIn = padding(in, block);
        int padOut = padding(out, block);
        if (padIn == 0 && padOut == 0) {
            return base.apply(input, weight, stride, padding);
        }
        // every new array lives on the input's manager (the batch's scope): the weight's manager is the
        // model's, and anything made there would stay until the model is closed
        NDManager scope = input.getManager();
        NDArray x = input;
        NDArray k = weight;
        if (padIn > 0) {
            Shape xs = input.getShape();
            x = input.concat(scope.zeros(new Shape(xs.get(0), padIn, xs.get(2), xs.get(3)), input.getDataType(),
                    input.getDevice()), 1);
            k = onScope(k.concat(scope.zeros(new Shape(out, padIn, w.get(2), w.get(3)), weight.getDataType(),
                    weight.getDevice()), 1), scope);
        }
        if (padOut > 0) {
            k = onScope(k.concat(scope.zeros(new Shape(padOut, in + padIn, w.get(2), w.get(3)), weight.getDataType(),
                    weight.getDevice()), 0), scope);
        }
        return base.apply(x, k, stride, padding).get(new NDIndex(":, :{}", out));
    }

    private static NDArray onScope(NDArray array, NDManager scope) {
        if (array.getManager() != scope) {
            array.attach(scope);
        }
        return array;
    }

    /** Channels to add to reach a multiple of the block. */
    private static int padding(int channels, int block) {
        int rest = channels % block;
        return rest == 0 ? 0 : block - rest;
    }

}
