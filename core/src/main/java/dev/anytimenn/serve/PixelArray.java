package dev.anytimenn.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A JSON {@code pixels} array read value by value into the bytes the model takes, without a tree: on the
 * server's hot path a tree of 784 number nodes cost ten times the bytes of the body it came from. What
 * is wrong is kept, not thrown, so that the request's checks stay in one order whatever way it was read.
 *
 * @param values the first {@code size} values as bytes, where they were integers in 0..255
 * @param count how many values the array holds (a nested array or object counts once)
 * @param firstBadIndex the index of the first value that is not an integer in 0..255, or -1
 * @param firstBad that value as given, or null
 */
record PixelArray(byte[] values, int count, int firstBadIndex, JsonNode firstBad) {

    /**
     * Reads the array whose {@code [} the parser is on, up to its {@code ]}; a cut-off body throws what
     * the parser throws.
     */
    static PixelArray read(JsonParser parser, ObjectMapper mapper, int size) throws IOException {
        byte[] values = new byte[size];
        int count = 0;
        int badIndex = -1;
        JsonNode bad = null;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken(), count++) {
            if (t == null) {
                throw new IOException("the pixels array is not closed");
            }
            if (t == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT
                    && parser.getIntValue() >= 0 && parser.getIntValue() <= 255) {
                if (count < size) {
                    values[count] = (byte) parser.getIntValue();
                }
            } else if (badIndex < 0) {
                badIndex = count;
                bad = mapper.readTree(parser); // reads a nested value whole, to show it as given
            } else {
                parser.skipChildren();
            }
        }
        return new PixelArray(values, count, badIndex, bad);
    }
}
