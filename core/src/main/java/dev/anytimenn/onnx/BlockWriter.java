package dev.anytimenn.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import dev.anytimenn.model.ClassifierHead;
import dev.anytimenn.model.ConvStem;
import dev.anytimenn.model.DenseLayer;
import dev.anytimenn.model.Layers;
import dev.anytimenn.model.MsdBranch;
import dev.anytimenn.model.MsdHead;
import dev.anytimenn.model.MsdLayer;
import dev.anytimenn.model.MsdStem;
import dev.anytimenn.model.PreActConv;
import dev.anytimenn.model.ResidualUnit;
import dev.anytimenn.model.Transition;
import dev.anytimenn.store.ParameterNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tribuo.util.onnx.ONNXOperators;

/**
 * Writes the ONNX nodes of one block of the network, mirroring its {@code forwardInternal} in
 * inference mode (batch norms use their running statistics). Blocks are recognised by class and read
 * through their children and parameters; a block this writer does not know is refused by name, so a new
 * architecture cannot be exported wrongly, only not at all. {@code OnnxExportTest} checks every
 * architecture's graph against the network's own outputs.
 */
final class BlockWriter {

    /** What can be written, for messages. */
    static final String KNOWN = "ConvStem, ResidualUnit, DenseLayer, Transition, PreActConv, MsdStem, MsdLayer, "
            + "MsdBranch, ClassifierHead, MsdHead";

    private static final Pattern MSD_CHILD = Pattern.compile("(transition|regular|strided)([0-9]+)");

    private final GraphWriter g;
    private final ParameterNames names;

    BlockWriter(GraphWriter g, ParameterNames names) {
        this.g = g;
        this.names = names;
    }

    /** The block's outputs (one per scale for MSDNet's blocks) from its inputs. */
    List<String> write(Block block, List<String> inputs) {
        String path = names.path(block);
        if (block instanceof ConvStem) {
            return List.of(conv(child(block, "conv", Conv2d.class), single(block, inputs)));
        }
        if (block instanceof ResidualUnit) {
            return List.of(residual(block, single(block, inputs)));
        }
        if (block instanceof DenseLayer) {
            return List.of(dense(block, single(block, inputs)));
        }
        if (block instanceof Transition) {
            String h = write(child(block, "compress", PreActConv.class), inputs).get(0);
            // DenseNet's transition pools with floor: 15 -> 7
            return List.of(averagePool(path, h, false));
        }
        if (block instanceof PreActConv) {
            String h = bnRelu(child(block, "bn", BatchNorm.class), single(block, inputs));
            return List.of(conv(child(block, "conv", Conv2d.class), h));
        }
        if (block instanceof MsdBranch) {
            List<String> h = write(child(block, "bottleneck", PreActConv.class), inputs);
            return write(child(block, "conv", PreActConv.class), h);
        }
        if (block instanceof MsdStem) {
            return msdStem(block, single(block, inputs));
        }
        if (block instanceof MsdLayer) {
            return msdLayer(block, inputs);
        }
        if (block instanceof ClassifierHead) {
            return List.of(classifier(block, single(block, inputs)));
        }
        if (block instanceof MsdHead) {
            // the head reads the coarsest scale only
            List<String> x = List.of(inputs.get(inputs.size() - 1));
            x = write(child(block, "conv1", PreActConv.class), x);
            x = write(child(block, "conv2", PreActConv.class), x);
            return List.of(classifier(block, x.get(0)));
        }
        throw new UnsupportedExportException("block " + block.getClass().getSimpleName() + " at '" + path
                + "' has no ONNX form here (blocks written: " + KNOWN + ")");
    }

    private String residual(Block unit, String x) {
        Conv2d conv1 = child(unit, "conv1", Conv2d.class);
        Conv2d conv2 = child(unit, "conv2", Conv2d.class);
        String h = bnRelu(child(unit, "bn1", BatchNorm.class), x);
        h = conv(conv1, h);
        h = bnRelu(child(unit, "bn2", BatchNorm.class), h);
        h = conv(conv2, h);
        int stride = (int) conv1.getStride().get(0);
        long in = array(conv1, "weight").getShape().get(1);
        long out = conv2.getFilters();
        String path = names.path(unit);
        String shortcut = x;
        if (stride != 1) {
            // ceil mode, as the unit pools: 7 -> 4, in step with the strided convolution
            shortcut = averagePool(path, shortcut, true);
        }
        if (out > in) {
            // the shortcut's extra channels are zeros (no 1x1 convolution)
            String pads = g.int64s(path + ".shortcut_pads", 0, 0, 0, 0, 0, out - in, 0, 0);
            shortcut = g.node(CnnOperators.PAD, path + "/Pad", shortcut, pads);
        }
        return g.node(ONNXOperators.ADD, path + "/Add", h, shortcut);
    }

    private String dense(Block layer, String x) {
        Map<String, Block> children = children(layer);
        if (children.containsKey("transition")) {
            x = write(children.get("transition"), List.of(x)).get(0);
        }
        String h = bnRelu(child(layer, "bn1", BatchNorm.class), x);
        h = conv(child(layer, "conv1", Conv2d.class), h);
        h = bnRelu(child(layer, "bn2", BatchNorm.class), h);
        h = conv(child(layer, "conv2", Conv2d.class), h);
        return g.node(ONNXOperators.CONCAT, names.path(layer) + "/Concat", Map.of("axis", 1), x, h);
    }

    private List<String> msdStem(Block stem, String x) {
        List<String> scales = new ArrayList<>();
        String h = conv(child(stem, "conv", Conv2d.class), x);
        scales.add(h);
        for (Map.Entry<String, Block> c : children(stem).entrySet()) {
            if (c.getKey().startsWith("down")) {
                h = write(c.getValue(), List.of(h)).get(0);
                scales.add(h);
            }
        }
        return scales;
    }

    private List<String> msdLayer(Block layer, List<String> inputs) {
        // children by role and absolute scale: transition<w> (a later block's first layer), strided<w>, regular<w>
        Map<String, Map<Integer, Block>> byRole = new LinkedHashMap<>();
        for (Map.Entry<String, Block> c : children(layer).entrySet()) {
            Matcher m = MSD_CHILD.matcher(c.getKey());
            if (!m.matches()) {
                throw new UnsupportedExportException("MsdLayer at '" + names.path(layer) + "' has a child '"
                        + c.getKey() + "' this writer does not know");
            }
            byRole.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), c.getValue());
        }
        List<Integer> kept = new ArrayList<>(byRole.get("regular").keySet());
        Map<Integer, Block> transitions = byRole.getOrDefault("transition", Map.of());
        boolean entersBlock = !transitions.isEmpty();
        int offset = entersBlock ? 1 : 0;
        if (inputs.size() != kept.size() + offset) {
            throw new IllegalStateException("MsdLayer at '" + names.path(layer) + "' expects " + (kept.size() + offset)
                    + " scales, got " + inputs.size());
        }
        List<String> x = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            String scale = inputs.get(i + offset);
            x.add(entersBlock ? write(transitions.get(kept.get(i)), List.of(scale)).get(0) : scale);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            int w = kept.get(i);
            List<String> parts = new ArrayList<>();
            parts.add(x.get(i));
            if (i > 0) {
                parts.add(write(byRole.get("strided").get(w), List.of(x.get(i - 1))).get(0));
            }
            parts.add(write(byRole.get("regular").get(w), List.of(x.get(i))).get(0));
            out.add(g.node(ONNXOperators.CONCAT, names.path(layer) + "/Concat" + w, Map.of("axis", 1),
                    parts.toArray(String[]::new)));
        }
        return out;
    }

    /** BN-ReLU - global average pool - linear: the end of every head. */
    private String classifier(Block head, String x) {
        String path = names.path(head);
        String h = bnRelu(child(head, "bn", BatchNorm.class), x);
        h = g.node(CnnOperators.GLOBAL_AVERAGE_POOL, path + "/GlobalAveragePool", h);
        h = g.node(CnnOperators.FLATTEN, path + "/Flatten", Map.of("axis", 1), h);
        Linear linear = child(head, "linear", Linear.class);
        return g.node(ONNXOperators.GEMM, names.path(linear) + "/Gemm", Map.of("transB", 1), h,
                initializer(linear, "weight"), initializer(linear, "bias"));
    }

    private String bnRelu(BatchNorm bn, String x) {
        String path = names.path(bn);
        String h = g.node(CnnOperators.BATCH_NORMALIZATION, path + "/BatchNormalization",
                Map.of("epsilon", Layers.BN_EPSILON), x, initializer(bn, "gamma"), initializer(bn, "beta"),
                initializer(bn, "runningMean"), initializer(bn, "runningVar"));
        return g.node(CnnOperators.RELU, path + "/Relu", h);
    }

    private String conv(Conv2d conv, String x) {
        if (conv.getDilation().get(0) != 1 || conv.getDilation().get(1) != 1 || conv.getGroups() != 1) {
            throw new UnsupportedExportException("the convolution at '" + names.path(conv)
                    + "' is dilated or grouped; only plain convolutions are written");
        }
        long[] kernel = conv.getKernelShape().getShape();
        long[] stride = conv.getStride().getShape();
        long[] padding = conv.getPadding().getShape();
        Map<String, Object> attributes = Map.of(
                "kernel_shape", new int[] {(int) kernel[0], (int) kernel[1]},
                "strides", new int[] {(int) stride[0], (int) stride[1]},
                "pads", new int[] {(int) padding[0], (int) padding[1], (int) padding[0], (int) padding[1]});
        String w = initializer(conv, "weight");
        String path = names.path(conv) + "/Conv";
        return conv.isIncludeBias() ? g.node(CnnOperators.CONV, path, attributes, x, w, initializer(conv, "bias"))
                : g.node(CnnOperators.CONV, path, attributes, x, w);
    }

    private String averagePool(String path, String x, boolean ceil) {
        return g.node(CnnOperators.AVERAGE_POOL, path + "/AveragePool", Map.of("kernel_shape", new int[] {2, 2},
                "strides", new int[] {2, 2}, "ceil_mode", ceil ? 1 : 0, "count_include_pad", 0), x);
    }

    /** The block's parameter as a graph initializer under its PyTorch-style name. */
    private String initializer(Block block, String djlName) {
        NDArray array = array(block, djlName);
        if (array.getDataType() != DataType.FLOAT32) {
            throw new UnsupportedExportException("parameter " + names.parameterOf(block, djlName) + " is "
                    + array.getDataType() + "; only float32 is written");
        }
        return g.floats(names.parameterOf(block, djlName), array.getShape().getShape(), array.toFloatArray());
    }

    private static NDArray array(Block block, String djlName) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            if (p.getKey().equals(djlName)) {
                return p.getValue().getArray();
            }
        }
        throw new IllegalStateException(block.getClass().getSimpleName() + " has no parameter " + djlName);
    }

    private String single(Block block, List<String> inputs) {
        if (inputs.size() != 1) {
            throw new IllegalStateException(block.getClass().getSimpleName() + " at '" + names.path(block)
                    + "' takes one input, got " + inputs.size());
        }
        return inputs.get(0);
    }

    /** Children by their names without DJL's order prefix, in order. */
    private static Map<String, Block> children(Block block) {
        Map<String, Block> children = new LinkedHashMap<>();
        for (Pair<String, Block> c : block.getChildren()) {
            children.put(ParameterNames.childName(c.getKey()), c.getValue());
        }
        return children;
    }

    private <T extends Block> T child(Block block, String name, Class<T> type) {
        Block child = children(block).get(name);
        if (!type.isInstance(child)) {
            throw new UnsupportedExportException(block.getClass().getSimpleName() + " at '" + names.path(block)
                    + "' has no " + type.getSimpleName() + " '" + name + "'");
        }
        return type.cast(child);
    }
}
