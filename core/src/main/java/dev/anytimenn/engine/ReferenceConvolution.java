package dev.anytimenn.engine;

/**
 * A 2-D convolution (cross-correlation, no bias, symmetric zero padding) and its two gradients in plain
 * float64 Java loops: the reference that the engine's kernels are checked against. Written for small
 * shapes; arrays are NCHW (input), OIHW (weight) and NCHW (output), flattened row-major.
 */
final class ReferenceConvolution {

    private final int batch;
    private final int inChannels;
    private final int outChannels;
    private final int size;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int outSize;

    ReferenceConvolution(ConvolutionCase c) {
        this.batch = c.batch();
        this.inChannels = c.inChannels();
        this.outChannels = c.outChannels();
        this.size = c.size();
        this.kernel = c.kernel();
        this.stride = c.stride();
        this.padding = c.kernel() / 2;
        this.outSize = c.outSize();
    }

    /** The output y, dL/dx and dL/dw of L = sum(y * dy), for y[n,o,i,j] = sum over c,u,v of x[n,c,..] w[o,c,u,v]. */
    record Results(double[] output, double[] inputGradient, double[] weightGradient) {}

    /**
     * One pass over every (output position, weight tap) pair that reads an input inside the image: each pair
     * adds to the output, sends its output gradient back to the input it read, and to the weight it used.
     */
    Results compute(float[] x, float[] w, float[] dy) {
        double[] y = new double[batch * outChannels * outSize * outSize];
        double[] dx = new double[x.length];
        double[] dw = new double[w.length];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < outChannels; o++) {
                for (int i = 0; i < outSize; i++) {
                    for (int j = 0; j < outSize; j++) {
                        int yi = ((n * outChannels + o) * outSize + i) * outSize + j;
                        double g = dy[yi];
                        double sum = 0;
                        for (int c = 0; c < inChannels; c++) {
                            for (int u = 0; u < kernel; u++) {
                                int row = i * stride + u - padding;
                                if (row < 0 || row >= size) {
                                    continue;
                                }
                                int xRow = ((n * inChannels + c) * size + row) * size;
                                int wRow = ((o * inChannels + c) * kernel + u) * kernel;
                                for (int v = 0; v < kernel; v++) {
                                    int col = j * stride + v - padding;
                                    if (col < 0 || col >= size) {
                                        continue;
                                    }
                                    sum += (double) x[xRow + col] * w[wRow + v];
                                    dx[xRow + col] += g * w[wRow + v];
                                    dw[wRow + v] += g * x[xRow + col];
                                }
                            }
                        }
                        y[yi] = sum;
                    }
                }
            }
        }
        return new Results(y, dx, dw);
    }
}
