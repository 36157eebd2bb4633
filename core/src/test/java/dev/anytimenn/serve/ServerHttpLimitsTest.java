package dev.anytimenn.serve;

import static dev.anytimenn.serve.ServerTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Jetty's side kept small ({@link HttpLimits}): with the fewest threads Jetty can run on (one request
 * thread), overload still reaches the queue and is refused there at once, and a client that is slow to
 * send its body holds no thread.
 */
class ServerHttpLimitsTest {

    /**
     * The acceptor, the selector and a single request thread. The accept queue stays at its default: a burst
     * of new connections larger than it loses SYNs, which clients resend only after a second.
     */
    static final HttpLimits FEWEST = new HttpLimits(HttpLimits.MIN_THREADS, HttpLimits.DEFAULT_ACCEPT_QUEUE);

    private static String request(int id, double deadlineMs) {
        return "{\"pixels\": [" + id + ",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0], \"deadlineMs\": " + deadlineMs + "}";
    }

    /** One reply with the time from its send to its arrival, in ms. */
    record Timed(int status, String retryAfter, JsonNode body, double ms) {}

    @Test
    void aFullQueueIs503AtOnceForManyConcurrentRequestsWithOneRequestThread() throws Exception {
        long stepMs = 1000;
        SlowFakeModel model = new SlowFakeModel(1, stepMs);
        int clients = 30;
        // one worker taking one request at a time, two waiting: of 30 at once, 3 are admitted
        ServeConfig config = ServerTestSupport.config(1).withQueue(2, 1).withHttp(FEWEST);
        try (AnytimeServer server = ServerTestSupport.start(model, config)) {
            URI base = server.uri();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .executor(Executors.newFixedThreadPool(4)).build();
            List<CompletableFuture<Timed>> replies = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                HttpRequest post = HttpRequest.newBuilder(base.resolve("v1/predict")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(request(i + 1, 20_000))).build();
                long sent = System.nanoTime();
                replies.add(client.sendAsync(post, HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Timed(
                        r.statusCode(), r.headers().firstValue("Retry-After").orElse(null), json(r.body()),
                        (System.nanoTime() - sent) / 1e6)));
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            List<Timed> all = replies.stream().map(CompletableFuture::join).toList();
            List<Timed> refused = all.stream().filter(t -> t.status() == 503).toList();
            List<Timed> answered = all.stream().filter(t -> t.status() == 200).toList();

            assertThat(refused.size() + answered.size()).as("nothing but 200 and 503: %s", all).isEqualTo(clients);
            assertThat(answered.size()).as("admitted: the running one and the two queued, at least").isGreaterThanOrEqualTo(3);
            assertThat(refused).as("refused").isNotEmpty();
            double firstAnswer = answered.stream().mapToDouble(Timed::ms).min().orElseThrow();
            for (Timed t : refused) {
                assertThat(t.retryAfter()).isEqualTo("1");
                assertThat(t.body().get("reason").asText()).isEqualTo("queue-full");
                assertThat(t.body().has("queueMs")).as("never admitted").isFalse();
                assertThat(t.body().get("totalMs").asDouble()).as("the server's own time to refuse").isLessThan(stepMs);
                // a Jetty thread held by an inference would keep every refusal waiting for a whole step
                assertThat(t.ms()).as("a 503 waits for no inference").isLessThan(stepMs).isLessThan(firstAnswer);
            }
            assertThat(server.workersAlive()).isEqualTo(1);
        }
    }

    @Test
    void clientsSlowToSendTheirBodiesHoldNoThread() throws Exception {
        SlowFakeModel model = new SlowFakeModel(2, 5);
        ServeConfig config = ServerTestSupport.config(1).withHttp(FEWEST);
        try (AnytimeServer server = ServerTestSupport.start(model, config)) {
            String body = request(9, 5000);
            List<Socket> slow = new ArrayList<>();
            try {
                // more stalled bodies than request threads: a blocking read would hold the only one
                for (int i = 0; i < 4; i++) {
                    Socket socket = new Socket("127.0.0.1", server.port());
                    slow.add(socket);
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, 10))
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                Thread.sleep(200); // Jetty has handed the stalled requests to its thread by now
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(server.uri().resolve("healthz"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                ServerTestSupport.Reply answer = ServerTestSupport.postJson(client, server.uri(), "v1/predict",
                        request(10, 5000));
                assertThat(answer.status()).as(answer.body()).isEqualTo(200);

                // the rest of a stalled body arrives: that request is answered as any other
                OutputStream out = slow.get(0).getOutputStream();
                out.write(body.substring(10).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.get(0).setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(slow.get(0).getInputStream(),
                        StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
            assertThat(model.stepsRun(9)).isEqualTo(2);
        }
    }

    @Test
    void aBodyOverTheLimitWithoutContentLengthIs400() throws Exception {
        SlowFakeModel model = new SlowFakeModel(1, 1);
        ServeConfig config = ServerTestSupport.config(1).withLimits(1024, 100).withHttp(FEWEST);
        try (AnytimeServer server = ServerTestSupport.start(model, config)) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                // chunked, so the size is known only as the body arrives
                String chunk = "x".repeat(700);
                out.write(("POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk
                        + "\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 400 Bad Request");
                StringBuilder reply = new StringBuilder(); // headers, then the JSON body (no newline after it)
                for (int c; reply.indexOf("}") < 0 && (c = in.read()) >= 0;) {
                    reply.append((char) c);
                }
                assertThat(reply).contains("\"error\":\"body: more than the limit of 1024 bytes\"");
            }
            assertThat(get(ServerTestSupport.client(), server.uri(), "metrics").body())
                    .contains("anytime_requests_total{status=\"400\"}", "anytime_http_threads_busy",
                            "anytime_http_jobs_queued");
        }
    }

    @Test
    void theLimitsAreCheckedWithOneLineErrors() {
        assertThatThrownBy(() -> new HttpLimits(2, 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--http-threads must be at least 3 (an acceptor, a selector and one request thread), got 2");
        assertThatThrownBy(() -> new HttpLimits(8, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--accept-queue must be at least 1, got 0");
        assertThat(HttpLimits.defaults(1)).isEqualTo(new HttpLimits(7, HttpLimits.DEFAULT_ACCEPT_QUEUE));
        assertThat(HttpLimits.defaults(2).requestThreads()).isEqualTo(6);
        assertThat(ServeConfig.defaults(2).http()).isEqualTo(HttpLimits.defaults(2));
    }

    private static JsonNode json(String body) {
        try {
            return AnswerBodies.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
