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

    /** Every k x k (k > 1) convolution of {@code net} at its input size, on 1 thread and on the engine's count. */
    public static List<ConvolutionCase> of(Block net) {
        Set<ConvolutionCase> cases = new LinkedHashSet<>();
        int threads = Math.max(1, JniUtils.getNumThreads());
        collect(net, threads, cases);
        return new ArrayList<>(cases);
    }

    private static void collect(Block block, int threads, Set<ConvolutionCase> out) {
        if (block instanceof Convolution conv) {
            Shape input = block.getInputShapes()[0];
            int kernel = (int) conv.getKernelShape().get(0);
            if (kernel > 1) {
                int in = (int) input.get(1);
                int size = (int) Math.min(input.get(2), input.get(3));
                int stride = (int) conv.getStride().get(0);
                for (int t : threads > 1 ? new int[] {1, Math.min(threads, 2)} : new int[] {1}) {
                    out.add(new ConvolutionCase(BATCH, in, conv.getFilters(), size, kernel, stride, t));
                }
            }
            return;
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), threads, out);
        }
    }
}
