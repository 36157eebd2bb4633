package dev.anytimenn.serve;

import static dev.anytimenn.serve.ServerTestSupport.answeredExit;
import static dev.anytimenn.serve.ServerTestSupport.get;
import static dev.anytimenn.serve.ServerTestSupport.pixels;
import static dev.anytimenn.serve.ServerTestSupport.post;
import static dev.anytimenn.serve.ServerTestSupport.postJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anytimenn.serve.ServerTestSupport.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP contract on the shipped Fashion-MNIST model: answers, streams, bad input, the other endpoints. */
class ServerContractTest {

    static AnytimeServer server;
    static URI base;
    static HttpClient client;
    static final int[] CUMULATIVE = {3725728, 7338560, 10048384, 13661376, 16371520, 19984832};

    @BeforeAll
    static void start() throws Exception {
        // small limits so that "too large" is cheap to send
        server = ServerTestSupport.startShipped(ServerTestSupport.config(2).withLimits(64 * 1024, 100 * 100));
        base = server.uri();
        client = ServerTestSupport.client();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    private static String blank() {
        return pixels(784, 0);
    }

    @Test
    void anAnswerCarriesLabelClassProbabilitiesExitMacsAndTimings() {
        Reply r = postJson(client, base, "v1/predict", "{\"pixels\": " + blank() + ", \"deadlineMs\": 2000}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode a = r.json();
        assertThat(a.fieldNames()).toIterable().containsExactly("label", "className", "confidence", "probabilities",
                "exit", "exits", "macs", "queueMs", "computeMs", "totalMs", "deadlineMs");
        assertThat(a.get("probabilities")).hasSize(10);
        double sum = 0;
        int argMax = 0;
        for (int c = 0; c < 10; c++) {
            sum += a.get("probabilities").get(c).asDouble();
            if (a.get("probabilities").get(c).asDouble() > a.get("probabilities").get(argMax).asDouble()) {
                argMax = c;
            }
        }
        assertThat(sum).isCloseTo(1, within(1e-4));
        assertThat(a.get("label").asInt()).isEqualTo(argMax);
        assertThat(a.get("className").asText()).isEqualTo(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot").get(argMax));
        int exit = a.get("exit").asInt();
        assertThat(exit).isBetween(1, 6);
        assertThat(a.get("exits").asInt()).isEqualTo(6);
        assertThat(a.get("macs").asLong()).isEqualTo(CUMULATIVE[exit - 1]);
        assertThat(a.get("queueMs").asDouble()).isNotNegative();
        assertThat(a.get("computeMs").asDouble()).isPositive();
        assertThat(a.get("totalMs").asDouble()).isCloseTo(a.get("queueMs").asDouble() + a.get("computeMs").asDouble(),
                within(0.01));
        assertThat(a.get("deadlineMs").asDouble()).isEqualTo(2000);
    }

    @Test
    void aBudgetOrAConfidenceThresholdChoosesTheExit() {
        JsonNode budget = postJson(client, base, "v1/predict", "{\"pixels\": " + blank() + ", \"deadlineMs\": 5000, "
                + "\"budgetMacs\": " + CUMULATIVE[1] + "}").json();
        assertThat(budget.get("exit").asInt()).isEqualTo(2);
        assertThat(budget.get("macs").asLong()).isEqualTo(CUMULATIVE[1]);
        // every exit's top probability is at least 1/10, so a threshold of 0 lets the first answer
        JsonNode confident = postJson(client, base, "v1/predict?confidence=0", "{\"pixels\": " + blank()
                + ", \"deadlineMs\": 5000}").json();
        assertThat(confident.get("exit").asInt()).isEqualTo(1);
    }

    @Test
    void rawPngBytesAndBase64ImagesAreAccepted() throws Exception {
        byte[] png = ServerTestSupport.png(56, 56);
        Reply raw = post(client, base, "v1/predict?deadlineMs=3000", "image/png", png);
        assertThat(raw.status()).as(raw.body()).isEqualTo(200);
        Reply encoded = postJson(client, base, "v1/predict", "{\"image\": \"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png) + "\", \"deadlineMs\": 3000, \"budgetMacs\": " + CUMULATIVE[5] + "}");
        assertThat(answeredExit(encoded)).isEqualTo(6);
        JsonNode rawFull = post(client, base, "v1/predict?deadlineMs=3000&budgetMacs=" + CUMULATIVE[5], "image/png", png)
                .json();
        assertThat(rawFull.get("probabilities")).isEqualTo(encoded.json().get("probabilities"));
    }

    private static final Pattern EVENT = Pattern.compile("event: (\\w+)\ndata: (\\{.*})\n\n");

    @Test
    void aStreamSendsEveryExitInOrderThenTheFinalAnswer() {
        Reply r = postJson(client, base, "v1/predict?stream=true", "{\"pixels\": " + blank()
                + ", \"deadlineMs\": 5000, \"budgetMacs\": " + CUMULATIVE[2] + "}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/event-stream");
        Matcher m = EVENT.matcher(r.body());
        List<String> events = new ArrayList<>();
        List<JsonNode> data = new ArrayList<>();
        int end = 0;
        while (m.find()) {
            assertThat(m.start()).as("events back to back").isEqualTo(end);
            end = m.end();
            events.add(m.group(1));
            data.add(parse(m.group(2)));
        }
        assertThat(end).isEqualTo(r.body().length());
        assertThat(events).containsExactly("exit", "exit", "exit", "final");
        for (int k = 0; k < 3; k++) {
            assertThat(data.get(k).get("exit").asInt()).isEqualTo(k + 1);
            assertThat(data.get(k).get("macs").asLong()).isEqualTo(CUMULATIVE[k]);
            assertThat(data.get(k).get("probabilities")).hasSize(10);
            assertThat(data.get(k).get("className").asText()).isNotBlank();
        }
        assertThat(data.get(1).get("elapsedMs").asDouble()).isGreaterThanOrEqualTo(data.get(0).get("elapsedMs").asDouble());
        JsonNode last = data.get(3);
        assertThat(last.get("exit").asInt()).isEqualTo(3);
        assertThat(last.get("probabilities")).isEqualTo(data.get(2).get("probabilities"));
        assertThat(last.has("totalMs")).isTrue();
    }

    private static JsonNode parse(String json) {
        try {
            return AnswerBodies.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }

    @Test
    void everyBadInputIsA400WithOneLineNamingTheFieldAndTheServerStaysUp() throws Exception {
        String ok = "\"pixels\": " + blank();
        assertBad(postJson(client, base, "v1/predict", "{\"pixels\": [1, 2, 3"), "body: malformed JSON");
        assertBad(postJson(client, base, "v1/predict", "[1, 2]"), "body: must be a JSON object");
        assertBad(postJson(client, base, "v1/predict", ""), "body: empty");
        assertBad(postJson(client, base, "v1/predict", "{\"pixels\": [1, 2, 3]}"), "pixels: has 3 values; the model takes 1x28x28 = 784");
        assertBad(postJson(client, base, "v1/predict", "{\"pixels\": " + blank().replaceFirst("0", "256") + "}"),
                "pixels[0]: 256 is not an integer in 0..255");
        assertBad(postJson(client, base, "v1/predict", "{\"pixels\": " + blank().replaceFirst("0", "\"x\"") + "}"),
                "pixels[0]: \"x\" is not an integer");
        assertBad(postJson(client, base, "v1/predict", "{\"pixels\": \"abc\"}"), "pixels: must be an array");
        assertBad(postJson(client, base, "v1/predict", "{}"), "image: give exactly one of");
        assertBad(postJson(client, base, "v1/predict", "{\"image\": \"aGVsbG8=\"}"), "image: not a PNG or JPEG image");
        assertBad(postJson(client, base, "v1/predict", "{\"image\": \"%%%\"}"), "image: not valid base64");
        assertBad(postJson(client, base, "v1/predict", "{\"image\": 12}"), "image: must be a base64 string");
        byte[] truncated = java.util.Arrays.copyOf(ServerTestSupport.png(56, 56), 60);
        assertBad(post(client, base, "v1/predict", "image/png", truncated), "body: ");
        assertBad(post(client, base, "v1/predict", "image/png", "not an image".getBytes()), "body: not a PNG or JPEG image");
        assertBad(post(client, base, "v1/predict", "image/png", ServerTestSupport.png(200, 200)),
                "body: the image has 200x200 pixels, more than the limit of 10000");
        assertBad(post(client, base, "v1/predict", "image/png", new byte[100_000]), "body: 100000 bytes, more than the limit");
        assertBad(postJson(client, base, "v1/predict", "{" + ok + ", \"deadlineMs\": -5}"), "deadlineMs: must be in (0, 60000] ms, got -5");
        assertBad(postJson(client, base, "v1/predict", "{" + ok + ", \"deadlineMs\": 0}"), "deadlineMs: must be in");
        assertBad(postJson(client, base, "v1/predict", "{" + ok + ", \"deadlineMs\": 1e12}"), "deadlineMs: must be in");
        assertBad(postJson(client, base, "v1/predict?deadlineMs=NaN", "{" + ok + "}"), "deadlineMs: must be in");
        assertBad(postJson(client, base, "v1/predict", "{" + ok + ", \"deadlineMs\": \"soon\"}"), "deadlineMs: must be a number");
        assertBad(postJson(client, base, "v1/predict", "{" + ok + ", \"budgetMacs\": 10}"),
                "budgetMacs: 10 is below the first exit's cost of 3725728 MACs");
        assertBad(postJson(client, base, "v1/predict", "{" + ok + ", \"budgetMacs\": 1.5}"), "budgetMacs: must be an integer");
        assertBad(postJson(client, base, "v1/predict", "{" + ok + ", \"confidence\": \"high\"}"), "confidence: must be a number");
        assertBad(postJson(client, base, "v1/predict", "{" + ok + ", \"score\": \"vibes\"}"), "score: unknown confidence score");
        assertBad(postJson(client, base, "v1/predict", "{" + ok + ", \"calibrated\": true}"), "calibrated: this model has no calibrated thresholds");
        assertBad(postJson(client, base, "v1/predict", "{" + ok + ", \"stream\": \"yes\"}"), "stream: must be true or false");
        assertBad(postJson(client, base, "v1/predict", "{" + ok + ", \"colour\": \"red\"}"), "colour: unknown field");
        assertBad(postJson(client, base, "v1/predict?verbose=1", "{" + ok + "}"), "verbose: unknown query parameter");
        assertBad(postJson(client, base, "v1/predict?deadlineMs=5", "{" + ok + ", \"deadlineMs\": 5}"),
                "deadlineMs: given both in the query and in the body");
        assertBad(postJson(client, base, "v1/predict?stream=true&stream=false", "{" + ok + "}"), "stream: given 2 times");

        Reply fine = postJson(client, base, "v1/predict", "{" + ok + ", \"deadlineMs\": 3000}");
        assertThat(fine.status()).as("still up after bad input").isEqualTo(200);
        assertThat(get(client, base, "metrics").body()).contains("anytime_requests_total{status=\"400\"}");
    }

    private static void assertBad(Reply r, String start) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        String error = r.json().get("error").asText();
        assertThat(error).startsWith(start).doesNotContain("\n").doesNotContain("Exception").doesNotContain("at dev.");
        assertThat(r.json().get("reason").asText()).isEqualTo("bad-request");
    }

    @Test
    void healthReadinessMetricsModelAndPage() {
        assertThat(get(client, base, "healthz").json().get("status").asText()).isEqualTo("ok");
        Reply ready = get(client, base, "readyz");
        assertThat(ready.status()).isEqualTo(200);
        postJson(client, base, "v1/predict", "{\"pixels\": " + blank() + ", \"deadlineMs\": 3000}");
        Reply metrics = get(client, base, "metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        assertThat(metrics.body()).contains("anytime_requests_total{status=\"200\"}", "anytime_request_latency_seconds_bucket",
                "anytime_exit_bucket{le=\"6.0\"}", "anytime_macs_total", "anytime_queue_depth", "anytime_workers_alive 2.0");
        JsonNode model = get(client, base, "v1/model").json();
        assertThat(model.get("classNames")).hasSize(10);
        assertThat(model.get("exits")).hasSize(6);
        assertThat(model.get("input").get("height").asInt()).isEqualTo(28);
        Reply page = get(client, base, "");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("<canvas id=\"pad\"", "app.js").doesNotContain("http://", "https://");
        assertThat(get(client, base, "app.js").body()).contains("v1/predict?stream=true").doesNotContain("https://");
        assertThat(get(client, base, "style.css").status()).isEqualTo(200);
        Reply missing = get(client, base, "nothing-here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("no such path: /nothing-here");
        Reply wrongMethod = get(client, base, "v1/predict");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).isEqualTo("POST");
    }
}
