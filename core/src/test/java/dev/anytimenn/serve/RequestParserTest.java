package dev.anytimenn.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The request body's JSON, read without a server: the pixels array value by value, and the one-line
 * messages for what is wrong in it (the HTTP contract test covers the rest of the fields).
 */
class RequestParserTest {

    private final RequestParser parser = new RequestParser(new SlowFakeModel(3, 0), ServerTestSupport.config(1),
            AnswerBodies.MAPPER);

    private PredictRequest parse(String json) throws BadRequestException {
        return parser.parse("application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static String pixels(String first) {
        return "[" + first + ",1,2,3,4,5,6,7,8,9,10,11,12,13,14,255]";
    }

    private void assertBad(String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(BadRequestException.class).hasMessage(message);
    }

    @Test
    void pixelsAreReadInOrderWithTheOptionsAroundThem() throws Exception {
        PredictRequest r = parse("{\"deadlineMs\": 25, \"pixels\": " + pixels("0") + ", \"stream\": true, \"budgetMacs\": 2000}");
        assertThat(r.pixels()).hasSize(16);
        assertThat(r.pixels()[3]).isEqualTo((byte) 3);
        assertThat(r.pixels()[15] & 0xff).isEqualTo(255);
        assertThat(r.deadlineMs()).isEqualTo(25);
        assertThat(r.stream()).isTrue();
        assertThat(r.budgetMacs()).isEqualTo(2000);
        assertThat(parse(" {\n\"pixels\" :\n" + pixels("-0") + "\n} ").pixels()[0]).isZero();
    }

    @Test
    void aBadPixelIsNamedByItsIndexAndShownAsGiven() {
        assertBad("{\"pixels\": " + pixels("256") + "}", "pixels[0]: 256 is not an integer in 0..255");
        assertBad("{\"pixels\": " + pixels("-1") + "}", "pixels[0]: -1 is not an integer in 0..255");
        assertBad("{\"pixels\": " + pixels("1.5") + "}", "pixels[0]: 1.5 is not an integer in 0..255");
        assertBad("{\"pixels\": " + pixels("99999999999999999999") + "}",
                "pixels[0]: 99999999999999999999 is not an integer in 0..255");
        assertBad("{\"pixels\": " + pixels("\"x\"") + "}", "pixels[0]: \"x\" is not an integer in 0..255");
        assertBad("{\"pixels\": " + pixels("null") + "}", "pixels[0]: null is not an integer in 0..255");
        assertBad("{\"pixels\": " + pixels("[1,2]") + "}", "pixels[0]: [1,2] is not an integer in 0..255");
        assertBad("{\"pixels\": " + pixels("{\"a\":1}") + "}", "pixels[0]: {\"a\":1} is not an integer in 0..255");
        // the first bad one is named, after the rest
        assertBad("{\"pixels\": [0,1,2,3,4,5,6,7,8,9,10,11,12,true,300,15]}", "pixels[13]: true is not an integer in 0..255");
    }

    @Test
    void theCountIsCheckedBeforeTheValuesAndNestedValuesCountOnce() {
        assertBad("{\"pixels\": [1, 2, 3]}", "pixels: has 3 values; the model takes 1x4x4 = 16");
        assertBad("{\"pixels\": [\"a\", [1, 2, 3], {\"b\": [4]}]}", "pixels: has 3 values; the model takes 1x4x4 = 16");
        assertBad("{\"pixels\": []}", "pixels: has 0 values; the model takes 1x4x4 = 16");
        String seventeen = pixels("0").replace("]", ",0]");
        assertBad("{\"pixels\": " + seventeen + "}", "pixels: has 17 values; the model takes 1x4x4 = 16");
        assertBad("{\"pixels\": {\"0\": 1}}", "pixels: must be an array of 16 integers in 0..255 (1x4x4)");
        assertBad("{\"pixels\": 7}", "pixels: must be an array of 16 integers in 0..255 (1x4x4)");
    }

    @Test
    void cutOffOrMalformedJsonIsOneLineNamingTheBody() {
        for (String json : List.of("{\"pixels\": [1, 2", "{\"pixels\": [1, 2,]}", "{\"pixels\": " + pixels("0"),
                "{\"pixels\" " + pixels("0") + "}", "{\"deadlineMs\": 5,", "{\"pixels\": [1 2]}")) {
            assertThatThrownBy(() -> parse(json)).as(json).isInstanceOf(BadRequestException.class)
                    .hasMessageStartingWith("body: malformed JSON (").hasMessageNotContaining("\n");
        }
        assertBad("[1, 2]", "body: must be a JSON object with \"image\" or \"pixels\"");
        assertBad("7", "body: must be a JSON object with \"image\" or \"pixels\"");
    }

    @Test
    void fieldsAreCheckedByNameWhereverThePixelsAre() {
        assertBad("{\"pixels\": " + pixels("0") + ", \"colour\": 1}",
                "colour: unknown field (known: " + String.join(", ", RequestParser.BODY_FIELDS) + ")");
        assertBad("{\"pixels\": " + pixels("0") + ", \"pixels\": " + pixels("0") + "}", "pixels: given twice in the body");
        assertBad("{\"deadlineMs\": 5, \"deadlineMs\": 6, \"pixels\": " + pixels("0") + "}",
                "deadlineMs: given twice in the body");
        assertBad("{\"image\": \"aGVsbG8=\", \"pixels\": " + pixels("0") + "}",
                "pixels: give exactly one of \"image\" (base64 PNG/JPEG) and \"pixels\"");
        assertBad("{\"pixels\": " + pixels("0") + ", \"deadlineMs\": null}", "deadlineMs: must be a number, got null");
        assertThatThrownBy(() -> parser.parse("application/json", ("{\"pixels\": " + pixels("0") + ", \"deadlineMs\": 5}")
                .getBytes(StandardCharsets.UTF_8), Map.of("deadlineMs", List.of("5"))))
                .hasMessage("deadlineMs: given both in the query and in the body");
    }
}
