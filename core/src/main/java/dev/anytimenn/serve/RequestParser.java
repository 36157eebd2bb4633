package dev.anytimenn.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.anytimenn.data.ImageFiles;
import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.model.InputShape;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a request's body and query into a {@link PredictRequest}, or refuses it with a one-line
 * message naming the field. The body is JSON ({@code image} as base64 PNG/JPEG, or {@code pixels})
 * or the image bytes themselves; options may come in the JSON or the query string, not both.
 */
final class RequestParser {

    static final Set<String> OPTIONS = Set.of("deadlineMs", "budgetMacs", "confidence", "score", "calibrated", "invert",
            "stream");
    static final List<String> BODY_FIELDS = List.of("image", "pixels", "deadlineMs", "budgetMacs", "confidence", "score",
            "calibrated", "invert", "stream");
    /** Stands in {@code fields} for a pixels array read apart, as a {@link PixelArray}. */
    private static final JsonNode PIXELS_READ = TextNode.valueOf("(the pixels array)");

    private final ServedModel model;
    private final ServeConfig config;
    private final ObjectMapper mapper;

    RequestParser(ServedModel model, ServeConfig config, ObjectMapper mapper) {
        this.model = model;
        this.config = config;
        this.mapper = mapper;
    }

    /**
     * @param contentType the request's Content-Type, or null
     * @param query the query parameters, each with all its values
     */
    PredictRequest parse(String contentType, byte[] body, Map<String, List<String>> query) throws BadRequestException {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> q : query.entrySet()) {
            if (!OPTIONS.contains(q.getKey())) {
                throw new BadRequestException(q.getKey(), "unknown query parameter (known: " + String.join(", ",
                        OPTIONS.stream().sorted().toList()) + ")");
            }
            if (q.getValue().size() != 1) {
                throw new BadRequestException(q.getKey(), "given " + q.getValue().size() + " times");
            }
            fields.put(q.getKey(), TextNode.valueOf(q.getValue().get(0)));
        }
        if (body.length == 0) {
            throw new BadRequestException("body", "empty; send JSON with \"image\" or \"pixels\", or the image bytes");
        }
        boolean json = isJson(contentType, body);
        PixelArray pixelArray = null;
        if (json) {
            JsonBody read = readJson(body);
            pixelArray = read.pixels();
            for (Map.Entry<String, JsonNode> f : read.fields().entrySet()) {
                if (fields.containsKey(f.getKey())) {
                    throw new BadRequestException(f.getKey(), "given both in the query and in the body");
                }
                fields.put(f.getKey(), f.getValue());
            }
        }
        // the cheap checks first: an image is decoded only for a request that is otherwise sound
        double deadlineMs = deadline(fields.get("deadlineMs"));
        Long budget = budget(fields.get("budgetMacs"));
        Double confidence = number(fields, "confidence");
        if (confidence != null && !Double.isFinite(confidence)) {
            throw new BadRequestException("confidence", "must be a finite number, got " + confidence);
        }
        String score = fields.containsKey("score") ? text(fields, "score") : ConfidenceScore.MAX_SOFTMAX.cliName();
        try {
            score = ConfidenceScore.parse(score).cliName();
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("score", e.getMessage());
        }
        boolean calibrated = bool(fields, "calibrated");
        if (calibrated && confidence != null) {
            throw new BadRequestException("calibrated", "give either confidence or calibrated, not both");
        }
        if (calibrated && model.thresholds().isEmpty()) {
            throw new BadRequestException("calibrated", "this model has no calibrated thresholds (anytime eval RUN_DIR "
                    + "--protocol budgeted makes them)");
        }
        boolean stream = bool(fields, "stream");
        byte[] pixels = json ? jsonPixels(fields, pixelArray) : decode("body", body, bool(fields, "invert"));
        return new PredictRequest(pixels, deadlineMs, budget, confidence, score, calibrated, stream);
    }

    private static boolean isJson(String contentType, byte[] body) {
        if (contentType != null && !contentType.isBlank()) {
            return contentType.toLowerCase(java.util.Locale.ROOT).contains("json");
        }
        return body[0] == '{';
    }

    /** A body's fields, the pixels array read apart (its entry in {@code fields} is {@link #PIXELS_READ}). */
    private record JsonBody(Map<String, JsonNode> fields, PixelArray pixels) {}

    private JsonBody readJson(byte[] body) throws BadRequestException {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        PixelArray pixels = null;
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new BadRequestException("body", "must be a JSON object with \"image\" or \"pixels\"");
            }
            for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                if (t != JsonToken.FIELD_NAME) { // a cut-off body: the parser found no more tokens
                    throw new BadRequestException("body", "malformed JSON (the object is not closed)");
                }
                String name = parser.currentName();
                if (!BODY_FIELDS.contains(name)) {
                    throw new BadRequestException(name, "unknown field (known: " + String.join(", ", BODY_FIELDS) + ")");
                }
                if (fields.containsKey(name)) {
                    throw new BadRequestException(name, "given twice in the body");
                }
                if (parser.nextToken() == JsonToken.START_ARRAY && name.equals("pixels")) {
                    pixels = PixelArray.read(parser, mapper, inputSize());
                    fields.put(name, PIXELS_READ);
                } else {
                    fields.put(name, mapper.readTree(parser));
                }
            }
        } catch (JsonProcessingException e) {
            throw new BadRequestException("body", "malformed JSON (" + e.getOriginalMessage() + ")");
        } catch (java.io.IOException e) {
            throw new BadRequestException("body", "malformed JSON (" + e.getMessage() + ")");
        }
        return new JsonBody(fields, pixels);
    }

    private int inputSize() {
        InputShape shape = model.inputShape();
        return shape.channels() * shape.height() * shape.width();
    }

    private byte[] jsonPixels(Map<String, JsonNode> fields, PixelArray pixelArray) throws BadRequestException {
        JsonNode image = fields.get("image");
        JsonNode pixels = fields.get("pixels");
        if ((image == null) == (pixels == null)) {
            throw new BadRequestException(image == null ? "image" : "pixels",
                    "give exactly one of \"image\" (base64 PNG/JPEG) and \"pixels\"");
        }
        if (image != null) {
            if (!image.isTextual()) {
                throw new BadRequestException("image", "must be a base64 string of a PNG or JPEG image");
            }
            String text = image.asText();
            int comma = text.startsWith("data:") ? text.indexOf(',') : -1; // a data URL as a canvas gives it
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(text.substring(comma + 1).replaceAll("\\s+", ""));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("image", "not valid base64 (" + e.getMessage() + ")");
            }
            if (bytes.length == 0) {
                throw new BadRequestException("image", "empty");
            }
            return decode("image", bytes, bool(fields, "invert"));
        }
        InputShape shape = model.inputShape();
        int size = inputSize();
        if (pixelArray == null) {
            throw new BadRequestException("pixels", "must be an array of " + size + " integers in 0..255 (" + shape + ")");
        }
        if (pixelArray.count() != size) {
            throw new BadRequestException("pixels", "has " + pixelArray.count() + " values; the model takes " + shape
                    + " = " + size);
        }
        if (pixelArray.firstBadIndex() >= 0) {
            throw new BadRequestException("pixels[" + pixelArray.firstBadIndex() + "]", pixelArray.firstBad()
                    + " is not an integer in 0..255");
        }
        return pixelArray.values();
    }

    private byte[] decode(String field, byte[] bytes, boolean invert) throws BadRequestException {
        InputShape shape = model.inputShape();
        try {
            return ImageFiles.decode(bytes, shape.channels(), shape.height(), shape.width(), invert,
                    config.maxImagePixels());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(field, e.getMessage());
        }
    }

    private double deadline(JsonNode node) throws BadRequestException {
        if (node == null) {
            return config.defaultDeadlineMs();
        }
        double ms = number("deadlineMs", node);
        if (!(ms > 0 && ms <= config.maxDeadlineMs())) {
            throw new BadRequestException("deadlineMs", "must be in (0, " + fmt(config.maxDeadlineMs()) + "] ms, got "
                    + node.asText());
        }
        return ms;
    }

    private Long budget(JsonNode node) throws BadRequestException {
        if (node == null) {
            return null;
        }
        long first = model.exits().get(0).cumulativeMacs();
        long macs;
        try {
            macs = node.isIntegralNumber() && node.canConvertToLong() ? node.asLong() : Long.parseLong(
                    node.isTextual() ? node.asText() : "x");
        } catch (NumberFormatException e) {
            throw new BadRequestException("budgetMacs", "must be an integer, got " + node);
        }
        if (macs < first) {
            throw new BadRequestException("budgetMacs", macs + " is below the first exit's cost of " + first + " MACs");
        }
        return macs;
    }

    private static Double number(Map<String, JsonNode> fields, String name) throws BadRequestException {
        JsonNode node = fields.get(name);
        return node == null ? null : number(name, node);
    }

    private static double number(String name, JsonNode node) throws BadRequestException {
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            try {
                return Double.parseDouble(node.asText().strip());
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
        }
        throw new BadRequestException(name, "must be a number, got " + node);
    }

    private static boolean bool(Map<String, JsonNode> fields, String name) throws BadRequestException {
        JsonNode node = fields.get(name);
        if (node == null) {
            return false;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isTextual() && (node.asText().equals("true") || node.asText().equals("false"))) {
            return node.asText().equals("true");
        }
        throw new BadRequestException(name, "must be true or false, got " + node);
    }

    private static String text(Map<String, JsonNode> fields, String name) throws BadRequestException {
        JsonNode node = fields.get(name);
        if (!node.isTextual()) {
            throw new BadRequestException(name, "must be a string, got " + node);
        }
        return node.asText();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
