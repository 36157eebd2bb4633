package dev.anytimenn.engine;

import ai.djl.ndarray.NDArray;

/** A way to compute a 2-D convolution without bias: the engine's own, or one routed around a fault. */
@FunctionalInterface
public interface ConvolutionKernel {

    /**
     * @param input NCHW
     * @param weight OIHW, square kernel
     * @return NCHW output with "same"-style symmetric zero padding of {@code padding}
     */
    NDArray apply(NDArray input, NDArray weight, int stride, int padding);
}
