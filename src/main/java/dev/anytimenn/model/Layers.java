package dev.anytimenn.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.XavierInitializer;

/** The layer settings every architecture here shares. */
final class Layers {

    /** Batch-norm momentum in DJL's convention (running = 0.9 running + 0.1 batch), as the paper's code. */
    static final float BN_MOMENTUM = 0.9f;

    /** He-normal with fan-out, as the paper's code initialises convolutions. */
    private static final XavierInitializer HE_NORMAL = new XavierInitializer(
            XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2);

    private Layers() {}

    /** A square convolution with "same" padding and no bias: a following batch norm has one. */
    static Conv2d conv(int outChannels, int kernel, int stride) {
        Conv2d conv = Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(outChannels)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optBias(false)
                .build();
        conv.setInitializer(HE_NORMAL, Parameter.Type.WEIGHT);
        return conv;
    }

    static BatchNorm batchNorm() {
        return BatchNorm.builder().optMomentum(BN_MOMENTUM).optEpsilon(1e-5f).build();
    }
}
