package dev.anytimenn.onnx;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anytimenn.io.AtomicFiles;
import dev.anytimenn.io.Jsons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a network's ONNX files into a folder: {@value #WHOLE} (every exit's logits), {@code segment-k.onnx}
 * for each exit k, and {@value #DESCRIPTION} beside them (the model file's description plus an {@code onnx}
 * section naming each file's input and output tensors). Each file is written to a temporary file and
 * renamed, so a failed export leaves no half-written file.
 */
public final class OnnxFiles {

    public static final String WHOLE = "anytime.onnx";
    public static final String DESCRIPTION = "model.json";

    private OnnxFiles() {}

    public static String segmentFile(int exit) {
        return "segment-" + exit + ".onnx";
    }

    /** Writes every file into {@code dir} (made when missing) and returns their paths, in writing order. */
    public static List<Path> write(Path dir, NetworkGraphs graphs) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        Path whole = dir.resolve(WHOLE);
        byte[] wholeBytes = graphs.whole().toByteArray();
        AtomicFiles.write(whole, out -> out.write(wholeBytes));
        written.add(whole);
        for (int k = 1; k <= graphs.exits(); k++) {
            Path segment = dir.resolve(segmentFile(k));
            byte[] bytes = graphs.segment(k).toByteArray();
            AtomicFiles.write(segment, out -> out.write(bytes));
            written.add(segment);
        }
        Path description = dir.resolve(DESCRIPTION);
        AtomicFiles.writeString(description, Jsons.MAPPER.writeValueAsString(describe(graphs)) + "\n");
        written.add(description);
        return written;
    }

    /** The description JSON of {@value #DESCRIPTION}. */
    static ObjectNode describe(NetworkGraphs graphs) throws IOException {
        ObjectNode root = (ObjectNode) Jsons.MAPPER.readTree(graphs.descriptionJson());
        ObjectNode onnx = root.putObject("onnx");
        onnx.put("opset", CnnOperators.OPSET);
        ObjectNode input = onnx.putObject("input");
        input.put("name", NetworkGraphs.PIXELS);
        input.put("type", "float32");
        ArrayNode shape = input.putArray("shape").add(GraphWriter.BATCH);
        shape.add(graphs.description().input().channels()).add(graphs.description().input().height())
                .add(graphs.description().input().width());
        input.put("values", "raw pixel values 0..255; the graph normalises them");
        ObjectNode whole = onnx.putObject("graph");
        whole.put("file", WHOLE);
        ArrayNode wholeOutputs = whole.putArray("outputs");
        for (int k = 1; k <= graphs.exits(); k++) {
            wholeOutputs.add(NetworkGraphs.logits(k));
        }
        ArrayNode segments = onnx.putArray("segments");
        for (int k = 1; k <= graphs.exits(); k++) {
            ObjectNode s = segments.addObject();
            s.put("exit", k);
            s.put("file", segmentFile(k));
            graphs.segmentInputs(k).forEach(s.putArray("inputs")::add);
            graphs.segmentOutputs(k).forEach(s.putArray("outputs")::add);
        }
        return root;
    }
}
