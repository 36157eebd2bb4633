import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.ModelConfig;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What do DJL's blocks add to a batch-1 forward? The demo model's forward through its blocks
 * ({@code PerfBench.forwardOnce}: input copy, all six heads, softmax of the last, copy back) against the
 * same engine calls made straight from a loop over the network's own parameters: BN (running statistics)
 * through {@code JniUtils.batchNorm}, conv and linear through {@code JniUtils}, ReLU, pooling, zero
 * channels, concatenation and the residual add as the units make them. The two alternate run by run;
 * the outputs are compared once.
 *
 * <p>Usage: java ... Batch1Direct [RUNS] (bench/experiments/batch1-direct compiles and runs it)
 */
public final class Batch1Direct {

    private final Map<String, PtNDArray> params = new HashMap<>();

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        ModelConfig config = PerfBench.demoConfig(16);
        SplittableRandom random = new SplittableRandom(11);
        float[] image = new float[28 * 28];
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) random.nextGaussian();
        }
        Engine.getInstance().setRandomSeed(1);
        JniUtils.setGradMode(false);
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = Architectures.buildInitialized(config, manager);
            ParameterStore ps = new ParameterStore(manager, false);
            Batch1Direct direct = new Batch1Direct();
            for (Pair<String, Parameter> p : net.getParameters()) {
                // DJL prefixes each level of the name with its child index: "02unit1_01bn1_gamma"
                direct.params.put(p.getKey().replaceAll("(^|_)[0-9]{2}", "$1"), (PtNDArray) p.getValue().getArray());
            }
            double[] blocks = new double[runs];
            double[] calls = new double[runs];
            for (int i = -runs / 10; i < runs; i++) {
                double b = PerfBench.forwardOnce(net, ps, manager, image, 1);
                long t0 = System.nanoTime();
                try (NDManager scope = manager.newSubManager()) {
                    direct.forward(scope, image, config.c()).softmax(1).toFloatArray();
                }
                double d = (System.nanoTime() - t0) / 1e6;
                if (i >= 0) {
                    blocks[i] = b;
                    calls[i] = d;
                }
            }
            double difference;
            try (NDManager scope = manager.newSubManager()) {
                NDList viaBlocks = net.forward(ps, new NDList(scope.create(image, new Shape(1, 1, 28, 28))), false);
                difference = viaBlocks.get(viaBlocks.size() - 1).sub(direct.forward(scope, image, config.c()))
                        .abs().max().getFloat();
            }
            System.out.printf(Locale.ROOT, "batch 1, %d runs each: through the blocks p50 %.3f ms, the same engine calls "
                    + "direct p50 %.3f ms, blocks / direct %.3f; largest logit difference %g%n", runs,
                    PerfBench.median(blocks), PerfBench.median(calls),
                    PerfBench.median(blocks) / PerfBench.median(calls), difference);
        }
    }

    /** ResANN n=2, s=1 (the demo): logits of the last head, every head computed as the network does. */
    NDArray forward(NDManager scope, float[] image, int c) {
        NDArray x = conv(scope.create(image, new Shape(1, 1, 28, 28)), "stem_conv", 1);
        NDArray logits = null;
        int in = c;
        for (int u = 1; u <= 6; u++) {
            int width = c << ((u - 1) / 2);
            int stride = width > in ? 2 : 1;
            String unit = "unit" + u + "_";
            NDArray h = conv(bnRelu(x, unit + "bn1"), unit + "conv1", stride);
            h = conv(bnRelu(h, unit + "bn2"), unit + "conv2", 1);
            NDArray shortcut = x;
            if (stride == 2) {
                shortcut = Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), true, false);
                Shape s = shortcut.getShape();
                shortcut = shortcut.concat(scope.zeros(new Shape(s.get(0), width - in, s.get(2), s.get(3))), 1);
            }
            x = h.addi(shortcut);
            in = width;
            String head = "head" + u + "_";
            NDArray pooled = Pool.globalAvgPool2d(bnRelu(x, head + "bn"));
            logits = JniUtils.linear((PtNDArray) pooled, params.get(head + "linear_weight"),
                    params.get(head + "linear_bias"));
        }
        return logits;
    }

    private NDArray conv(NDArray x, String name, int stride) {
        return JniUtils.convolution((PtNDArray) x, params.get(name + "_weight"), null, new Shape(stride, stride),
                new Shape(1, 1), new Shape(1, 1), 1);
    }

    private NDArray bnRelu(NDArray x, String name) {
        return JniUtils.batchNorm((PtNDArray) x, params.get(name + "_runningMean"), params.get(name + "_runningVar"),
                params.get(name + "_gamma"), params.get(name + "_beta"), false, 0.1, 1e-5)
                .getNDArrayInternal().relu();
    }
}
