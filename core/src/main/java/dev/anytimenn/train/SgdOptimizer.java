package dev.anytimenn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SGD with momentum (optionally Nesterov) and decoupled choice of which parameters decay.
 *
 * <p>Written here rather than taken from DJL's {@code Sgd} because we need weight decay on
 * convolution and linear weights only (not on batch-norm scales, shifts or biases) and the momentum
 * buffers in hand for checkpoints, so that a resumed run continues exactly.
 *
 * <p>The momentum buffer holds the learning-rate-scaled velocity, v = m v + lr (g + wd w), and the
 * step is w -= v (Nesterov: w -= lr (g + wd w) + m v), the convention of the engine's fused update.
 * With a constant rate it equals PyTorch's SGD.
 */
public final class SgdOptimizer implements AutoCloseable {

    /** The engine clips only from above; a negative bound turns clipping off. */
    private static final float NO_CLIP = -1f;

    private final List<Parameter> parameters = new ArrayList<>();
    private final float[] decay;
    private final NDManager stateManager;
    private final NDArray[] velocity;
    private final float momentum;
    private final boolean nesterov;

    public SgdOptimizer(Block model, NDManager parent, double momentum, boolean nesterov, double weightDecay) {
        this(model, parent, momentum, nesterov, weightDecay, Map.of());
    }

    /**
     * @param decayScale by {@link Parameter#getId()}, a factor on {@code weightDecay} for that parameter
     *     (1 for any not named)
     */
    public SgdOptimizer(Block model, NDManager parent, double momentum, boolean nesterov, double weightDecay,
            Map<String, Double> decayScale) {
        for (Parameter p : model.getParameters().values()) {
            if (p.requiresGradient()) {
                parameters.add(p);
            }
        }
        decay = new float[parameters.size()];
        for (int i = 0; i < decay.length; i++) {
            Parameter p = parameters.get(i);
            decay[i] = p.getType() == Parameter.Type.WEIGHT
                    ? (float) (weightDecay * decayScale.getOrDefault(p.getId(), 1.0)) : 0f;
        }
        this.stateManager = parent.newSubManager();
        this.velocity = new NDArray[parameters.size()];
        for (int i = 0; i < velocity.length; i++) {
            NDArray w = parameters.get(i).getArray();
            velocity[i] = stateManager.zeros(w.getShape(), w.getDataType(), w.getDevice());
        }
        this.momentum = (float) momentum;
        this.nesterov = nesterov;
    }

    /** The weight decay each trainable parameter gets, in parameter order. */
    float[] decays() {
        return decay.clone();
    }

    /** Applies one update with the gradients from the last backward pass, then zeroes them. */
    public void step(double learningRate) {
        float lr = (float) learningRate;
        for (int i = 0; i < velocity.length; i++) {
            PtNDArray w = (PtNDArray) parameters.get(i).getArray();
            try (PtNDArray g = w.getGradient()) {
                if (nesterov) {
                    nesterovStep(w, g, (PtNDArray) velocity[i], lr, decay[i]);
                } else {
                    JniUtils.sgdUpdate(w, g, (PtNDArray) velocity[i], lr, decay[i], 1f, NO_CLIP, momentum);
                }
            }
            JniUtils.zeroGrad(w);
        }
    }

    private void nesterovStep(NDArray w, NDArray g, NDArray v, float lr, float wd) {
        // temporaries would otherwise join the parameters' manager and live as long as the model
        try (NDManager scratch = stateManager.newSubManager()) {
            NDArray scaled = g.mul(lr);
            scaled.attach(scratch);
            if (wd != 0f) {
                NDArray decayed = w.mul(lr * wd);
                decayed.attach(scratch);
                scaled.addi(decayed);
            }
            v.muli(momentum).addi(scaled);
            NDArray delta = v.mul(momentum);
            delta.attach(scratch);
            w.subi(delta.addi(scaled));
        }
    }

    /** The momentum buffers, in parameter order (for checkpoints). */
    public NDList state() {
        return new NDList(velocity);
    }

    /** Restores buffers saved by {@link #state()}; shapes must match. */
    public void loadState(NDList saved) {
        if (saved.size() != velocity.length) {
            throw new IllegalArgumentException("optimizer state has " + saved.size()
                    + " buffers but the model has " + velocity.length + " trainable parameters");
        }
        for (int i = 0; i < velocity.length; i++) {
            if (!saved.get(i).getShape().equals(velocity[i].getShape())) {
                throw new IllegalArgumentException("optimizer buffer " + i + " has shape "
                        + saved.get(i).getShape() + ", expected " + velocity[i].getShape());
            }
            velocity[i].set(saved.get(i).toByteBuffer());
        }
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
