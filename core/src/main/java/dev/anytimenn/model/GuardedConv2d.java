package dev.anytimenn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.anytimenn.engine.ConvolutionKernel;
import dev.anytimenn.engine.EngineGuard;

/**
 * DJL's Conv2d (same parameters, same saved form) whose forward asks {@link EngineGuard} which kernel computes
 * its shape correctly on this machine. Square kernel, no bias, no dilation, one group: what {@link Layers#conv}
 * builds.
 */
final class GuardedConv2d extends Conv2d {

    private GuardedConv2d(Builder builder) {
        super(builder);
    }

    static GuardedConv2d of(int outChannels, int kernel, int stride) {
        Builder builder = new Builder();
        builder.setKernelShape(new Shape(kernel, kernel))
                .setFilters(outChannels)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optBias(false);
        return new GuardedConv2d(builder);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        int k = (int) kernelShape.get(0);
        int s = (int) stride.get(0);
        int in = (int) w.getShape().get(1);
        ConvolutionKernel kernel = EngineGuard.checkedKernelFor(x.getManager(), new EngineGuard.Shape(in, filters,
                k, s), () -> ConvolutionCases.at(in, filters, k, s, (int) x.getShape().get(2)));
        return new NDList(kernel.apply(x, w, s, (int) padding.get(0)));
    }

    private static final class Builder extends Conv2d.Builder {}
}
