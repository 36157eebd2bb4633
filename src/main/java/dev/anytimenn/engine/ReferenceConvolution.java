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

    /** y[n,o,i,j] = sum over c, u, v of x[n,c,i*s+u-p, j*s+v-p] w[o,c,u,v]. */
    double[] forward(float[] x, float[] w) {
        double[] y = new double[batch * outChannels * outSize * outSize];
        forEachTap((n, o, c, i, j, u, v, xi, wi, yi) -> y[yi] += (double) x[xi] * w[wi]);
        return y;
    }

    /** dL/dx given dL/dy: every tap sends its output gradient back to the input it read. */
    double[] inputGradient(float[] dy, float[] w) {
        double[] dx = new double[batch * inChannels * size * size];
        forEachTap((n, o, c, i, j, u, v, xi, wi, yi) -> dx[xi] += (double) dy[yi] * w[wi]);
        return dx;
    }

    /** dL/dw given the input and dL/dy. */
    double[] weightGradient(float[] x, float[] dy) {
        double[] dw = new double[outChannels * inChannels * kernel * kernel];
        forEachTap((n, o, c, i, j, u, v, xi, wi, yi) -> dw[wi] += (double) dy[yi] * x[xi]);
        return dw;
    }

    private interface Tap {
        void accept(int n, int o, int c, int i, int j, int u, int v, int xi, int wi, int yi);
    }

    /** Visits every (output position, weight tap) pair that reads an input inside the image. */
    private void forEachTap(Tap tap) {
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < outChannels; o++) {
                for (int i = 0; i < outSize; i++) {
                    for (int j = 0; j < outSize; j++) {
                        int yi = ((n * outChannels + o) * outSize + i) * outSize + j;
                        for (int c = 0; c < inChannels; c++) {
                            for (int u = 0; u < kernel; u++) {
                                int row = i * stride + u - padding;
                                if (row < 0 || row >= size) {
                                    continue;
                                }
                                for (int v = 0; v < kernel; v++) {
                                    int col = j * stride + v - padding;
                                    if (col < 0 || col >= size) {
                                        continue;
                                    }
                                    int xi = ((n * inChannels + c) * size + row) * size + col;
                                    int wi = ((o * inChannels + c) * kernel + u) * kernel + v;
                                    tap.accept(n, o, c, i, j, u, v, xi, wi, yi);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
