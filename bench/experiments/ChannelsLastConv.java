import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.Architectures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Each distinct convolution of the demo model (ResANN n=2, c=16), forward+backward at the training batch
 * and forward alone at batch 1, with the input in NCHW and in channels-last (NHWC) strides. The two layouts
 * alternate within each repeat; figures are medians. The outputs of both layouts are compared once.
 *
 * <p>Usage: java ... ChannelsLastConv [REPEATS] (bench/experiments/channels-last compiles and runs it)
 */
@SuppressWarnings("try") // the collector is opened for its grad mode only
public final class ChannelsLastConv {

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 80;
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = Architectures.buildInitialized(PerfBench.demoConfig(16), manager);
            List<PerfBench.Layer> layers = new ArrayList<>();
            PerfBench.collectLayers(net, "", layers);
            Map<String, PerfBench.Layer> convs = new LinkedHashMap<>();
            for (PerfBench.Layer layer : layers) {
                if (layer.kind().equals("conv")) {
                    convs.putIfAbsent(layer.input() + " " + layer.weight() + " " + layer.stride(), layer);
                }
            }
            System.out.printf(Locale.ROOT, "%-34s %9s %9s %6s   %9s %9s %6s%n", "conv (input, weight, stride)",
                    "nchw", "nhwc", "ratio", "b1 nchw", "b1 nhwc", "ratio");
            double maxDiff = 0;
            for (PerfBench.Layer conv : convs.values()) {
                double[][] train = new double[2][repeats];
                double[][] b1 = new double[2][repeats];
                for (int i = -repeats / 4; i < repeats; i++) {
                    for (int layout = 0; layout < 2; layout++) {
                        double t = time(manager, conv, PerfBench.batch, true, layout == 1);
                        double s = time(manager, conv, 1, false, layout == 1);
                        if (i >= 0) {
                            train[layout][i] = t;
                            b1[layout][i] = s;
                        }
                    }
                }
                maxDiff = Math.max(maxDiff, layoutDifference(manager, conv));
                double tn = PerfBench.median(train[0]), tc = PerfBench.median(train[1]);
                double bn = PerfBench.median(b1[0]), bc = PerfBench.median(b1[1]);
                System.out.printf(Locale.ROOT, "%-34s %9.3f %9.3f %6.2f   %9.4f %9.4f %6.2f%n",
                        conv.input().slice(1) + " " + conv.weight() + " s" + conv.stride().get(0), tn, tc, tc / tn,
                        bn, bc, bc / bn);
            }
            System.out.printf(Locale.ROOT, "ms: forward+backward at batch %d, forward at batch 1; ratio = nhwc / nchw;"
                    + " largest output difference between layouts: %g%n", PerfBench.batch, maxDiff);
        }
    }

    /** The same values with channels-last strides (as bench/experiments/channels-last.diff does in the model). */
    static NDArray channelsLast(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 3, 1).reshape(s.get(0), s.get(2), s.get(3), s.get(1)).transpose(0, 3, 1, 2);
    }

    static double time(NDManager parent, PerfBench.Layer conv, int n, boolean training, boolean nhwc) {
        try (NDManager scope = parent.newSubManager()) {
            NDArray x = scope.randomNormal(PerfBench.withBatch(conv.input(), n));
            NDArray w = scope.randomNormal(conv.weight()).muli(0.05f);
            if (nhwc) {
                x = channelsLast(x);
            }
            PtNDArray input = (PtNDArray) x;
            PtNDArray weight = (PtNDArray) w;
            long t0;
            if (training) {
                input.setRequiresGradient(true);
                weight.setRequiresGradient(true);
                t0 = System.nanoTime();
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    PtNDArray y = forward(conv, input, weight);
                    JniUtils.backward(y, (PtNDArray) y.onesLike(), false, false);
                }
            } else {
                JniUtils.setGradMode(false);
                t0 = System.nanoTime();
                forward(conv, input, weight);
            }
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    static PtNDArray forward(PerfBench.Layer conv, PtNDArray x, PtNDArray w) {
        return JniUtils.convolution(x, w, null, conv.stride(), conv.padding(), conv.dilation(), conv.groups());
    }

    static double layoutDifference(NDManager parent, PerfBench.Layer conv) {
        try (NDManager scope = parent.newSubManager()) {
            JniUtils.setGradMode(false);
            PtNDArray x = (PtNDArray) scope.randomNormal(PerfBench.withBatch(conv.input(), 4));
            PtNDArray w = (PtNDArray) scope.randomNormal(conv.weight());
            NDArray a = forward(conv, x, w);
            NDArray b = forward(conv, (PtNDArray) channelsLast(x), w);
            return a.sub(b).abs().max().getFloat();
        }
    }
}
