package dev.anytimenn.store;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anytimenn.io.Jsons;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (huggingface/safetensors), float32 tensors only: an 8-byte little-endian
 * header length, a JSON header naming each tensor's dtype, shape and byte range, string metadata
 * under {@code __metadata__}, then the tensors' bytes back to back. PyTorch reads it with
 * {@code safetensors.torch.load_file}, the metadata with {@code safe_open(...).metadata()}.
 */
final class Safetensors {

    static final String METADATA = "__metadata__";
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {}

    /** One float32 tensor. */
    record Tensor(long[] shape, float[] data) {
        Tensor {
            long size = 1;
            for (long d : shape) {
                size *= d;
            }
            if (size != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size
                        + " values, got " + data.length);
            }
        }
    }

    /** A file's metadata and tensors, in file order. */
    record Contents(Map<String, String> metadata, Map<String, Tensor> tensors) {}

    static void write(OutputStream out, Map<String, String> metadata, Map<String, Tensor> tensors)
            throws IOException {
        ObjectNode header = Jsons.MAPPER.createObjectNode();
        ObjectNode meta = header.putObject(METADATA);
        metadata.forEach(meta::put);
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long end = offset + 4L * e.getValue().data().length;
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = Jsons.newMapper().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // the tensors start 8-byte aligned, padded with spaces
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(headerBytes);
        for (Tensor t : tensors.values()) {
            ByteBuffer bytes = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(t.data());
            out.write(bytes.array());
        }
    }

    /** Reads and checks a whole file; every failure names the file and what is wrong. */
    static Contents read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 8) {
            throw new IOException(file + ": truncated (" + bytes.length + " bytes, not even a safetensors header)");
        }
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER) {
            throw new IOException(file + ": not a safetensors model file (header length " + headerLength + ")");
        }
        if (8 + headerLength > bytes.length) {
            throw new IOException(file + ": truncated (the header needs " + (8 + headerLength) + " bytes, the file has "
                    + bytes.length + ")");
        }
        JsonNode header;
        try {
            header = Jsons.MAPPER.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw new IOException(file + ": not a safetensors model file (unreadable header: " + e.getOriginalMessage()
                    + ")", e);
        }
        if (header == null || !header.isObject()) {
            throw new IOException(file + ": not a safetensors model file (the header is not a JSON object)");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        header.path(METADATA).fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        long start = 8 + headerLength;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(METADATA)) {
                continue;
            }
            tensors.put(e.getKey(), tensor(file, e.getKey(), e.getValue(), bytes, start));
        }
        return new Contents(metadata, tensors);
    }

    private static Tensor tensor(Path file, String name, JsonNode t, byte[] bytes, long start) throws IOException {
        String where = file + ": tensor '" + name + "'";
        if (!"F32".equals(t.path("dtype").asText())) {
            throw new IOException(where + ": dtype " + t.path("dtype") + " is not supported (F32 only)");
        }
        JsonNode shapeNode = t.path("shape");
        JsonNode offsets = t.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new IOException(where + ": needs a shape and two data_offsets");
        }
        long[] shape = new long[shapeNode.size()];
        long size = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong(-1);
            if (shape[i] < 0) {
                throw new IOException(where + ": bad shape " + shapeNode);
            }
            size *= shape[i];
        }
        long from = start + offsets.get(0).asLong();
        long to = start + offsets.get(1).asLong();
        if (to - from != 4 * size || from < start) {
            throw new IOException(where + ": data_offsets " + offsets + " do not hold shape " + shapeNode + " of F32");
        }
        if (to > bytes.length) {
            throw new IOException(file + ": truncated (tensor '" + name + "' ends at byte " + to + ", the file has "
                    + bytes.length + ")");
        }
        float[] data = new float[(int) size];
        ByteBuffer.wrap(bytes, (int) from, (int) (to - from)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return new Tensor(shape, data);
    }
}
