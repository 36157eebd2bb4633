package dev.anytimenn.store;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PyTorch-style names for a network's blocks and parameters, as {@code interop/torch_anytime.py}'s
 * modules name them: DJL's child names without their order prefix ({@code 02unit1} is {@code unit1}),
 * joined by dots, and batch-norm parameters under PyTorch's names ({@code gamma} is {@code weight},
 * {@code beta} {@code bias}, {@code runningMean} {@code running_mean}, {@code runningVar}
 * {@code running_var}). So DJL's {@code 02unit1_01bn1_gamma} is {@code unit1.bn1.weight}. The ONNX
 * graphs name their initializers the same way.
 */
public final class ParameterNames {

    private final Map<Block, String> paths = new IdentityHashMap<>();
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();

    private ParameterNames() {}

    /** The names of every block under {@code root} (itself the unnamed root) and of every parameter. */
    public static ParameterNames of(Block root) {
        ParameterNames names = new ParameterNames();
        names.walk(root, "");
        return names;
    }

    private void walk(Block block, String path) {
        paths.put(block, path);
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            String name = join(path, parameter(p.getKey()));
            if (parameters.put(name, p.getValue()) != null) {
                throw new IllegalStateException("two parameters are named " + name);
            }
        }
        for (Pair<String, Block> child : block.getChildren()) {
            walk(child.getValue(), join(path, childName(child.getKey())));
        }
    }

    /** A child's name without the order number DJL puts in front of it. */
    public static String childName(String djlName) {
        return djlName.replaceFirst("^[0-9]+", "");
    }

    /** PyTorch's name for a DJL parameter of a block. */
    public static String parameter(String djlName) {
        return switch (djlName) {
            case "gamma" -> "weight";
            case "beta" -> "bias";
            case "runningMean" -> "running_mean";
            case "runningVar" -> "running_var";
            default -> djlName;
        };
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The dotted path of {@code block} (a block of this network). */
    public String path(Block block) {
        String path = paths.get(block);
        if (path == null) {
            throw new IllegalArgumentException(block.getClass().getSimpleName() + " is not part of this network");
        }
        return path;
    }

    /** The name of {@code block}'s direct parameter that DJL calls {@code djlName}. */
    public String parameterOf(Block block, String djlName) {
        return join(path(block), parameter(djlName));
    }

    /** Every parameter by its PyTorch-style name, in DJL's order. */
    public Map<String, Parameter> parameters() {
        return parameters;
    }
}
