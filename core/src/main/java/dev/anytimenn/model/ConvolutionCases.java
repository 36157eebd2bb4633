package dev.anytimenn.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import dev.anytimenn.engine.ConvolutionCase;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The distinct convolutions an initialised network runs, as cases for the engine's self-check. */
public final class ConvolutionCases {

    /**
     * Batch of the check: 2, because libtorch sends a 3x3 convolution to oneDNN (where the known fault is)
     * only for batches above 1.
     */
    static final int BATCH = 2;


    private ConvolutionCases() {}

    /**
     * Every convolution of {@code net} at its input size (the inputs here are square: the data sets' images
     * are), on 1 thread and on the engine's count. One batch size: at batch 128 the same shapes were right and
     * wrong exactly as at batch 2 (bench/experiments/ModelConvCheck.java, bench/RESULTS.md #13), and the
     * float64 reference at training batches would cost seconds.
     */
    public static List<ConvolutionCase> of(Block net) {
        Set<ConvolutionCase> cases = new LinkedHashSet<>();
        collect(net, cases);
        return new ArrayList<>(cases);
    }

    /** The cases that check one convolution shape at one input size. */
    public static List<ConvolutionCase> at(int inChannels, int outChannels, int kernel, int stride, int size) {
        int threads = Math.max(1, JniUtils.getNumThreads());
        Set<ConvolutionCase> cases = new LinkedHashSet<>();
        cases.add(new ConvolutionCase(BATCH, inChannels, outChannels, size, kernel, stride, 1));
        cases.add(new ConvolutionCase(BATCH, inChannels, outChannels, size, kernel, stride, threads));
        return new ArrayList<>(cases);
    }

    private static void collect(Block block, Set<ConvolutionCase> out) {
        if (block instanceof Convolution conv) {
            Shape input = block.getInputShapes()[0];
            out.addAll(at((int) input.get(1), conv.getFilters(), (int) conv.getKernelShape().get(0),
                    (int) conv.getStride().get(0), (int) Math.min(input.get(2), input.get(3))));
            return;
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), out);
        }
    }
}
