package dev.anytimenn.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

/**
 * The ONNX operators of convolutional networks that tribuo-util-onnx's {@code ONNXOperators} lacks, as
 * opset {@value #OPSET} defines them, so that nodes are built and their attributes checked the way that
 * library builds its own.
 */
enum CnnOperators implements ONNXOperator {
    CONV("Conv", 2, 1, attribute("auto_pad", AttributeType.STRING), attribute("dilations", AttributeType.INTS),
            attribute("group", AttributeType.INT), attribute("kernel_shape", AttributeType.INTS),
            attribute("pads", AttributeType.INTS), attribute("strides", AttributeType.INTS)),
    /** Inference form: X, scale, B, input_mean, input_var; one output. */
    BATCH_NORMALIZATION("BatchNormalization", 5, 0, attribute("epsilon", AttributeType.FLOAT),
            attribute("momentum", AttributeType.FLOAT), attribute("training_mode", AttributeType.INT)),
    RELU("Relu", 1, 0),
    AVERAGE_POOL("AveragePool", 1, 0, attribute("auto_pad", AttributeType.STRING),
            attribute("ceil_mode", AttributeType.INT), attribute("count_include_pad", AttributeType.INT),
            mandatory("kernel_shape", AttributeType.INTS), attribute("pads", AttributeType.INTS),
            attribute("strides", AttributeType.INTS)),
    GLOBAL_AVERAGE_POOL("GlobalAveragePool", 1, 0),
    FLATTEN("Flatten", 1, 0, attribute("axis", AttributeType.INT)),
    /** data, pads and an optional constant_value (opset 18 adds axes). */
    PAD("Pad", 2, 1, attribute("mode", AttributeType.STRING));

    /** The opset every graph written here imports. */
    static final int OPSET = 17;

    private final String opName;
    private final int inputs;
    private final int optionalInputs;
    private final Map<String, ONNXAttribute> attributes;

    CnnOperators(String opName, int inputs, int optionalInputs, ONNXAttribute... attributes) {
        this.opName = opName;
        this.inputs = inputs;
        this.optionalInputs = optionalInputs;
        Map<String, ONNXAttribute> byName = new LinkedHashMap<>();
        for (ONNXAttribute a : attributes) {
            byName.put(a.getName(), a);
        }
        this.attributes = Collections.unmodifiableMap(byName);
    }

    private static ONNXAttribute attribute(String name, AttributeType type) {
        return new ONNXAttribute(name, type, false);
    }

    private static ONNXAttribute mandatory(String name, AttributeType type) {
        return new ONNXAttribute(name, type, true);
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return inputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return optionalInputs;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return attributes.values().stream().filter(ONNXAttribute::isMandatory).map(ONNXAttribute::getName)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public int getOpVersion() {
        return OPSET;
    }

    /** The default ONNX domain. */
    @Override
    public String getOpDomain() {
        return null;
    }
}
