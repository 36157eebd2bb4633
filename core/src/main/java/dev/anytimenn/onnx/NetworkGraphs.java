package dev.anytimenn.onnx;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.store.ModelFile;
import dev.anytimenn.store.ParameterNames;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXOperators;

/**
 * The ONNX form of a trained anytime network: one graph whose outputs are every exit's logits, and one
 * graph per segment (the units from one exit to the next and that exit's head), so that a runtime can
 * stop between exits as {@code AnytimePredictor} does. Normalisation is inside the graphs: callers feed
 * raw pixel values.
 *
 * <p>Tensor names: the input {@value #PIXELS} is float32 [batch, C, H, W] holding pixel values 0..255;
 * exit k's logits are {@code logits_k} (float32 [batch, classes]); the features a segment leaves for the
 * next are {@code features_k_i}, one per feature map (MSDNet keeps one per scale, finest first). Segment
 * k takes {@code pixels} (k = 1) or {@code features_(k-1)_*}, and returns {@code logits_k} and, but for
 * the last, {@code features_k_*}. Initializers carry the parameters' PyTorch-style names
 * ({@link ParameterNames}). Every graph carries the model file's description (JSON) under the
 * {@value ModelFile#METADATA_KEY} metadata key, and segments their number under {@value #SEGMENT_KEY}.
 */
public final class NetworkGraphs {

    public static final String PIXELS = "pixels";
    public static final String SEGMENT_KEY = "anytime-nn.segment";

    private final AnytimeNetwork net;
    private final ModelFile description;
    private final ParameterNames names;
    private final List<Block> units;
    private final List<Block> heads;
    private final int[] headAfterUnit;
    /** stateShapes.get(k): the shapes (batch 1) of the features after exit k; k = 0 is the input. */
    private final List<Shape[]> stateShapes = new ArrayList<>();

    private NetworkGraphs(AnytimeNetwork net, ModelFile description) {
        this.net = net;
        this.description = description;
        this.names = ParameterNames.of(net);
        this.units = net.units();
        this.heads = net.heads();
        this.headAfterUnit = net.headAfterUnit();
        InputShape input = description.input();
        Shape[] state = {input.batchShape(1)};
        stateShapes.add(state);
        state = net.stem().getOutputShapes(state);
        for (int u = 0; u < units.size(); u++) {
            state = units.get(u).getOutputShapes(state);
            if (net.headAfter(u) >= 0) {
                stateShapes.add(state);
            }
        }
    }

    /**
     * The graphs of {@code net}, described by {@code description}; a network with a part that has no ONNX
     * form is refused ({@link UnsupportedExportException}) before anything is returned.
     */
    public static NetworkGraphs of(AnytimeNetwork net, ModelFile description) {
        if (!description.exits().equals(net.exitCosts())) {
            throw new IllegalArgumentException("the description's exits do not match the network's");
        }
        NetworkGraphs graphs = new NetworkGraphs(net, description);
        graphs.whole(); // refuses what cannot be written, whichever graph is asked for first
        return graphs;
    }

    public int exits() {
        return heads.size();
    }

    public static String logits(int exit) {
        return "logits_" + exit;
    }

    public static String features(int exit, int map) {
        return "features_" + exit + "_" + map;
    }

    /** The input names of segment {@code exit} (1-based). */
    public List<String> segmentInputs(int exit) {
        checkExit(exit);
        if (exit == 1) {
            return List.of(PIXELS);
        }
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < stateShapes.get(exit - 1).length; i++) {
            inputs.add(features(exit - 1, i));
        }
        return inputs;
    }

    /** The output names of segment {@code exit}: its logits, then the features it leaves (none for the last). */
    public List<String> segmentOutputs(int exit) {
        checkExit(exit);
        List<String> outputs = new ArrayList<>(List.of(logits(exit)));
        if (exit < exits()) {
            for (int i = 0; i < stateShapes.get(exit).length; i++) {
                outputs.add(features(exit, i));
            }
        }
        return outputs;
    }

    /** The shape of one image's features after {@code exit}, without the batch dimension. */
    public long[] featureShape(int exit, int map) {
        long[] shape = stateShapes.get(exit)[map].getShape();
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    /** The whole network: input {@value #PIXELS}, outputs every exit's logits. */
    public OnnxMl.ModelProto whole() {
        GraphWriter g = new GraphWriter("anytime");
        List<String> state = List.of(normalized(g, g.input(PIXELS, imageDims())));
        for (int k = 1; k <= exits(); k++) {
            state = segmentBody(g, k, state, true);
        }
        return g.model("anytime-nn " + description.architecture() + ": every exit's logits", metadata(null));
    }

    /** Segment {@code exit} (1-based) alone. */
    public OnnxMl.ModelProto segment(int exit) {
        checkExit(exit);
        GraphWriter g = new GraphWriter("segment_" + exit);
        List<String> state = new ArrayList<>();
        if (exit == 1) {
            state.add(normalized(g, g.input(PIXELS, imageDims())));
        } else {
            for (int i = 0; i < stateShapes.get(exit - 1).length; i++) {
                state.add(g.input(features(exit - 1, i), featureShape(exit - 1, i)));
            }
        }
        segmentBody(g, exit, state, false);
        return g.model("anytime-nn " + description.architecture() + ": segment " + exit + " of " + exits(),
                metadata(exit));
    }

    /**
     * Writes the units up to exit {@code exit} and its head after {@code state}; names the logits and, in a
     * segment graph, makes the features graph outputs. Returns the features for the next segment.
     */
    private List<String> segmentBody(GraphWriter g, int exit, List<String> state, boolean whole) {
        BlockWriter blocks = new BlockWriter(g, names);
        int firstUnit = exit == 1 ? 0 : headAfterUnit[exit - 2];
        if (exit == 1) {
            state = blocks.write(net.stem(), state);
        }
        for (int u = firstUnit; u < headAfterUnit[exit - 1]; u++) {
            state = blocks.write(units.get(u), state);
        }
        String logits = blocks.write(heads.get(exit - 1), state).get(0);
        g.output(logits, logits(exit), description.classNames().size());
        if (!whole && exit < exits()) {
            for (int i = 0; i < state.size(); i++) {
                g.output(state.get(i), features(exit, i), featureShape(exit, i));
            }
        }
        return state;
    }

    /** (pixels / 255 - mean) / std per channel, as {@link Normalization#apply} computes it in float. */
    private String normalized(GraphWriter g, String pixels) {
        Normalization norm = description.normalization();
        long[] perChannel = {1, norm.channels(), 1, 1};
        String scaled = g.node(ONNXOperators.DIV, "normalization/Div255", pixels,
                g.floats("normalization.pixel_scale", new long[0], new float[] {255f}));
        String centred = g.node(ONNXOperators.SUB, "normalization/Sub", scaled,
                g.floats("normalization.mean", perChannel, norm.mean()));
        return g.node(ONNXOperators.DIV, "normalization/Div", centred,
                g.floats("normalization.std", perChannel, norm.std()));
    }

    private long[] imageDims() {
        InputShape s = description.input();
        return new long[] {s.channels(), s.height(), s.width()};
    }

    private Map<String, String> metadata(Integer segment) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(ModelFile.METADATA_KEY, descriptionJson());
        if (segment != null) {
            metadata.put(SEGMENT_KEY, Integer.toString(segment));
        }
        return metadata;
    }

    /** The model file's description, as the safetensors model file stores it. */
    public String descriptionJson() {
        try {
            return Jsons.newMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(description);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ModelFile description() {
        return description;
    }

    private void checkExit(int exit) {
        if (exit < 1 || exit > exits()) {
            throw new IllegalArgumentException("exit " + exit + " is not one of 1.." + exits());
        }
    }
}
