package dev.anytimenn.infer;

import dev.anytimenn.model.ExitCost;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.ort.OrtNetwork;
import dev.anytimenn.ort.SegmentRun;
import java.util.List;
import java.util.Optional;

/** The network's segments run one at a time by ONNX Runtime: every step ends at an exit. */
final class OrtSteps implements InferenceSteps {

    private final OrtNetwork network;
    private final InputShape shape;
    private final int classes;
    private final long[] stepMacs;

    OrtSteps(OrtNetwork network, InputShape shape, int classes, List<ExitCost> exits) {
        this.network = network;
        this.shape = shape;
        this.classes = classes;
        this.stepMacs = exits.stream().mapToLong(ExitCost::macs).toArray();
    }

    @Override
    public int count() {
        return stepMacs.length;
    }

    @Override
    public int exitAfter(int step) {
        return step;
    }

    @Override
    public long[] macs() {
        return stepMacs.clone();
    }

    @Override
    public Run start(List<byte[]> images) {
        SegmentRun run = network.start(rawPixels(images, shape), shape.batchShape(images.size()).getShape());
        return new Run() {
            @Override
            public Optional<float[]> next() {
                return Optional.of(Softmax.rows(run.next(), classes));
            }

            @Override
            public void keepRows(long[] rows) {
                run.keepRows(rows);
            }

            @Override
            public void close() {
                run.close();
            }
        };
    }

    /** Pixel values 0..255 as floats: the graphs normalise them. */
    static float[] rawPixels(List<byte[]> images, InputShape shape) {
        int size = shape.channels() * shape.height() * shape.width();
        float[] input = new float[images.size() * size];
        for (int i = 0; i < images.size(); i++) {
            byte[] pixels = DjlSteps.checked(images, i, shape);
            for (int p = 0; p < size; p++) {
                input[i * size + p] = pixels[p] & 0xff;
            }
        }
        return input;
    }
}
