package dev.anytimenn.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;

/** The layer settings every architecture here shares, and the BN-ReLU they all use. */
public final class Layers {

    /** Batch-norm momentum in DJL's convention (running = 0.9 running + 0.1 batch), as the paper's code. */
    static final float BN_MOMENTUM = 0.9f;

    /**
     * He-normal over the fan-in, N(0, 2 / (in channels x kernel area)): the paper's code keeps tensorpack's
     * default convolution initialiser, {@code variance_scaling_initializer(2.0)}, whose mode is FAN_IN
     * (a normal truncated at 2 sd with its sd raised by sqrt(1.3), which gives about the same variance).
     * Until issue #17 this was fan-out, which made a convolution that widens its input start larger.
     */
    private static final XavierInitializer HE_NORMAL = new XavierInitializer(
            XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2);

    private Layers() {}

    /**
     * A square convolution with "same" padding and no bias (a following batch norm has one), computed by the
     * kernel the engine guard chose for its shape.
     */
    static Conv2d conv(int outChannels, int kernel, int stride) {
        Conv2d conv = GuardedConv2d.of(outChannels, kernel, stride);
        conv.setInitializer(HE_NORMAL, Parameter.Type.WEIGHT);
        return conv;
    }

    /** Every batch norm's epsilon (exporters that rebuild the network read it here). */
    public static final float BN_EPSILON = 1e-5f;

    static BatchNorm batchNorm() {
        return BatchNorm.builder().optMomentum(BN_MOMENTUM).optEpsilon(BN_EPSILON).build();
    }

    /**
     * ReLU(BN(x)) over the channel axis 1, with the block's parameters passed straight to the engine's
     * batch norm. DJL's BatchNorm block makes the same engine call, with the same arguments, but for axis 1
     * it wraps it in two swapAxes and a sub-manager, which adds two autograd nodes per call (bench/RESULTS.md,
     * #6, has what that cost). Running statistics update in training exactly as through the block.
     */
    static NDArray bnRelu(BatchNorm bn, ParameterStore ps, NDArray x, boolean training) {
        ParameterList params = bn.getDirectParameters();
        Device device = x.getDevice();
        NDArray y = JniUtils.batchNorm((PtNDArray) x,
                (PtNDArray) ps.getValue(params.get("runningMean"), device, training),
                (PtNDArray) ps.getValue(params.get("runningVar"), device, training),
                (PtNDArray) ps.getValue(params.get("gamma"), device, training),
                (PtNDArray) ps.getValue(params.get("beta"), device, training),
                training, 1f - BN_MOMENTUM, BN_EPSILON); // float arithmetic first, as DJL's call
        return Activation.relu(y);
    }
}
