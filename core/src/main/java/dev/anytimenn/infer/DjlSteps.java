package dev.anytimenn.infer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.EngineSetup;
import dev.anytimenn.model.InputShape;
import java.util.List;
import java.util.Optional;

/** The network's units run one at a time by DJL, in inference mode; each run's arrays live in a sub-manager. */
final class DjlSteps implements InferenceSteps {

    private final AnytimeNetwork net;
    private final NDManager manager;
    private final ParameterStore parameterStore;
    private final float[][] pixelLookup;
    private final long[] stepMacs;

    DjlSteps(AnytimeNetwork net, Normalization normalization, NDManager manager) {
        EngineSetup.prepare(net, manager);
        normalization.requireChannels(net.config().input().channels());
        this.net = net;
        this.manager = manager;
        this.parameterStore = new ParameterStore(manager, false);
        this.pixelLookup = normalization.lookupTables();
        this.stepMacs = net.stepMacs();
    }

    @Override
    public int count() {
        return net.unitCount();
    }

    @Override
    public int exitAfter(int step) {
        return net.headAfter(step);
    }

    @Override
    public long[] macs() {
        return stepMacs.clone();
    }

    @Override
    public Run start(List<byte[]> images) {
        // autograd is per thread; a thread that did not load the engine would record graphs
        if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
            JniUtils.setGradMode(false);
        }
        NDManager scope = manager.newSubManager();
        try {
            InputShape shape = net.config().input();
            NDArray x = scope.create(normalized(images, shape, pixelLookup), shape.batchShape(images.size()));
            AnytimeNetwork.Stepper stepper = net.stepper(parameterStore, x);
            return new Run() {
                @Override
                public Optional<float[]> next() {
                    return stepper.next().map(logits -> logits.softmax(1).toFloatArray());
                }

                @Override
                public void keepRows(long[] rows) {
                    stepper.keepRows(rows);
                }

                @Override
                public void close() {
                    scope.close();
                }
            };
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }

    /** Images as the network takes them: each channel plane through its normalisation table. */
    static float[] normalized(List<byte[]> images, InputShape shape, float[][] pixelLookup) {
        int size = shape.channels() * shape.height() * shape.width();
        int plane = shape.height() * shape.width();
        float[] input = new float[images.size() * size];
        for (int i = 0; i < images.size(); i++) {
            byte[] pixels = checked(images, i, shape);
            for (int p = 0; p < size; p++) {
                input[i * size + p] = pixelLookup[p / plane][pixels[p] & 0xff];
            }
        }
        return input;
    }

    /** Image {@code i}, which must hold exactly one input's pixels. */
    static byte[] checked(List<byte[]> images, int i, InputShape shape) {
        byte[] pixels = images.get(i);
        int size = shape.channels() * shape.height() * shape.width();
        if (pixels.length != size) {
            throw new IllegalArgumentException("image " + i + " has " + pixels.length + " pixels, the model takes "
                    + shape + " = " + size);
        }
        return pixels;
    }
}
