package dev.anytimenn.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

/**
 * Builds one ONNX graph from named values: inputs, float32 initializers and nodes whose attributes
 * the operator checks ({@link ONNXOperator#build}). Every value name is unique in the graph; a name
 * asked for twice gets a numbered suffix, except graph inputs and outputs, which keep theirs.
 */
final class GraphWriter {

    /** The symbolic first dimension of every input and output. */
    static final String BATCH = "batch";
    /** IR version 8 is what opset 17 shipped with (ONNX 1.12), readable by every current runtime. */
    static final int IR_VERSION = 8;

    /** Only names nodes: tribuo's operators ask it for a unique node name. */
    private final ONNXContext nodeNames = new ONNXContext();
    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private final Set<String> values = new HashSet<>();

    GraphWriter(String name) {
        graph.setName(name);
    }

    /** A float32 graph input of shape [batch, dims...]. */
    String input(String name, long... dims) {
        claim(name);
        graph.addInput(valueInfo(name, dims));
        return name;
    }

    /** Makes {@code value} a graph output called {@code name}, of shape [batch, dims...]. */
    void output(String value, String name, long... dims) {
        claim(name);
        graph.addNode(ONNXOperators.IDENTITY.build(nodeNames, value, name));
        graph.addOutput(valueInfo(name, dims));
    }

    /** A float32 initializer; the same name twice is the same tensor. */
    String floats(String name, long[] dims, float[] data) {
        if (values.contains(name)) {
            return name;
        }
        claim(name);
        ByteBuffer bytes = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(data);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(bytes.array()));
        Arrays.stream(dims).forEach(t::addDims);
        graph.addInitializer(t);
        return name;
    }

    /** A 1-D int64 initializer (shapes, pads). */
    String int64s(String name, long... data) {
        String unique = fresh(name);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(unique)
                .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addDims(data.length);
        Arrays.stream(data).forEach(t::addInt64Data);
        graph.addInitializer(t);
        return unique;
    }

    /** Adds a node of {@code op} and returns the name of its one output, {@code output} or a numbered form of it. */
    String node(ONNXOperator op, String output, Map<String, Object> attributes, String... inputs) {
        String name = fresh(output);
        graph.addNode(op.build(nodeNames, inputs, new String[] {name}, attributes));
        return name;
    }

    String node(ONNXOperator op, String output, String... inputs) {
        return node(op, output, Map.of(), inputs);
    }

    /** The model: this graph, opset {@value CnnOperators#OPSET}, and string metadata. */
    OnnxMl.ModelProto model(String docString, Map<String, String> metadata) {
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(CnnOperators.OPSET))
                .setProducerName("anytime-nn")
                .setDocString(docString)
                .setGraph(graph.build());
        new LinkedHashMap<>(metadata).forEach((k, v) ->
                model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build();
    }

    private void claim(String name) {
        if (!values.add(name)) {
            throw new IllegalStateException("the graph already has a value named " + name);
        }
    }

    private String fresh(String name) {
        String candidate = name;
        for (int i = 2; values.contains(candidate); i++) {
            candidate = name + "_" + i;
        }
        values.add(candidate);
        return candidate;
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, long[] dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (long d : dims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape)).build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }
}
