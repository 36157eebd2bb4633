package dev.anytimenn.serve;

import static dev.anytimenn.serve.ServerTestSupport.answeredExit;
import static dev.anytimenn.serve.ServerTestSupport.get;
import static dev.anytimenn.serve.ServerTestSupport.postJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anytimenn.serve.ServerTestSupport.Reply;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Overload, disconnects and shutdown, on a slow fake network (each step sleeps) so that a backlog and
 * requests in flight are certain.
 */
class ServerOverloadTest {

    private static String request(int id, double deadlineMs) {
        return "{\"pixels\": [" + id + ",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0], \"deadlineMs\": " + deadlineMs + "}";
    }

    private static double metric(String scrape, String name) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1));
            }
        }
        return 0;
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAtOnce() throws Exception {
        SlowFakeModel model = new SlowFakeModel(3, 150);
        // one worker, batches of one, a queue of one: the third request finds no room
        try (AnytimeServer server = ServerTestSupport.start(model, ServerTestSupport.config(1).withQueue(1, 1))) {
            URI base = server.uri();
            HttpClient client = ServerTestSupport.client();
            CompletableFuture<Reply> running = CompletableFuture.supplyAsync(() -> postJson(client, base, "v1/predict",
                    request(1, 5000)));
            awaitSteps(model, 1);
            CompletableFuture<Reply> queued = CompletableFuture.supplyAsync(() -> postJson(client, base, "v1/predict",
                    request(2, 5000)));
            awaitQueued(client, base, 1);

            Reply shed = postJson(client, base, "v1/predict", request(3, 5000));
            assertThat(queued).as("refused at once, while the queued request still waits").isNotDone();
            assertThat(shed.status()).isEqualTo(503);
            assertThat(shed.header("Retry-After")).isEqualTo("1");
            assertThat(shed.json().get("reason").asText()).isEqualTo("queue-full");
            assertThat(shed.json().get("error").asText()).contains("queue is full");
            assertThat(model.stepsRun(3)).isZero();

            assertThat(running.get().status()).isEqualTo(200);
            assertThat(running.get().json().get("exit").asInt()).isEqualTo(3);
            assertThat(queued.get().status()).isEqualTo(200);
            String metrics = get(client, base, "metrics").body();
            assertThat(metric(metrics, "anytime_shed_total{reason=\"queue-full\"}")).isEqualTo(1);
            assertThat(metric(metrics, "anytime_requests_total{status=\"503\"}")).isEqualTo(1);
            assertThat(metric(metrics, "anytime_requests_total{status=\"200\"}")).isEqualTo(2);
        }
        assertThat(model.closed).isTrue();
    }

    @Test
    void aDeadlineThatCannotReachTheFirstExitIs503NeverAMadeUpLabel() throws Exception {
        SlowFakeModel model = new SlowFakeModel(5, 300);
        try (AnytimeServer server = ServerTestSupport.start(model, ServerTestSupport.config(1).withQueue(4, 4))) {
            URI base = server.uri();
            HttpClient client = ServerTestSupport.client();
            // 20 ms left, the first exit takes 300: the idle worker refuses it at once, before any step
            Reply early = postJson(client, base, "v1/predict", request(1, 20));
            assertThat(early.status()).isEqualTo(503);
            assertThat(early.header("Retry-After")).isEqualTo("1");
            assertThat(early.json().get("reason").asText()).isEqualTo("deadline");
            assertThat(early.json().has("label")).isFalse();
            assertThat(model.stepsRun(1)).isZero();

            // behind a request in progress: the worker is busy until its next exit (up to 300 ms), then the
            // first exit takes 300 more, so 400 ms is refused at once rather than queued to fail later
            CompletableFuture<Reply> busy = CompletableFuture.supplyAsync(() -> postJson(client, base, "v1/predict",
                    request(2, 10_000)));
            awaitSteps(model, 2);
            Reply behind = postJson(client, base, "v1/predict", request(3, 400));
            assertThat(behind.status()).as(behind.body()).isEqualTo(503);
            assertThat(behind.json().get("reason").asText()).isEqualTo("deadline");
            assertThat(behind.json().get("error").asText()).contains("the first exit needs about");
            assertThat(behind.json().has("queueMs")).as("never queued").isFalse();
            assertThat(model.stepsRun(3)).isZero();

            // with time for two exits (of 300 ms each) but not three, the second answers
            assertThat(busy.get().status()).isEqualTo(200);
            assertThat(answeredExit(postJson(client, base, "v1/predict", request(4, 870)))).isEqualTo(2);
        }
    }

    @Test
    void theReserveIsKeptBackFromEachDeadlineForTheAnswersWayOut() throws Exception {
        SlowFakeModel model = new SlowFakeModel(5, 100);
        try (AnytimeServer server = ServerTestSupport.start(model, ServerTestSupport.config(1).withReserve(100))) {
            URI base = server.uri();
            HttpClient client = ServerTestSupport.client();
            // 290 ms less 100 leaves time for one exit of 100 ms, not two
            assertThat(answeredExit(postJson(client, base, "v1/predict", request(1, 290)))).isEqualTo(1);
            // never more than half the deadline: 160 ms keeps 80 ms of work, too little for the first exit (the
            // idle worker takes the request and refuses it at once)
            Reply none = postJson(client, base, "v1/predict", request(2, 160));
            assertThat(none.status()).as(none.body()).isEqualTo(503);
            assertThat(none.json().get("reason").asText()).isEqualTo("deadline");
            assertThat(model.stepsRun(2)).isZero();
            // with 240 ms, 120 ms of work: the first exit
            assertThat(answeredExit(postJson(client, base, "v1/predict", request(3, 240)))).isEqualTo(1);
        }
    }

    @Test
    void aRunningRequestStopsAtAnExitSoThatAWaitingOneMakesItsDeadline() throws Exception {
        SlowFakeModel model = new SlowFakeModel(10, 200);
        try (AnytimeServer server = ServerTestSupport.start(model, ServerTestSupport.config(1).withQueue(4, 4))) {
            URI base = server.uri();
            HttpClient client = ServerTestSupport.client();
            CompletableFuture<Reply> running = answerOneThenRunLong(model, client, base);
            // left alone, the running request would hold the worker for 1.6 s more, and this one, whose first
            // exit takes 200 ms, would wait past its 700 ms; stopped in time, it has 100 ms or more to spare
            assertThat(answeredExit(postJson(client, base, "v1/predict", request(2, 700)))).isPositive();

            assertThat(answeredExit(running.get())).as("stopped at an exit for the waiting request").isBetween(1, 9);
        }
    }

    @Test
    void aRunningRequestAlsoStopsForAWaitingRequestBehindTheOldest() throws Exception {
        SlowFakeModel model = new SlowFakeModel(10, 200);
        // batches of one: the second waiting request is a batch of its own, behind the first
        try (AnytimeServer server = ServerTestSupport.start(model, ServerTestSupport.config(1).withQueue(4, 1))) {
            URI base = server.uri();
            HttpClient client = ServerTestSupport.client();
            CompletableFuture<Reply> running = answerOneThenRunLong(model, client, base);
            CompletableFuture<Reply> oldest = CompletableFuture.supplyAsync(() -> postJson(client, base, "v1/predict",
                    request(2, 5000)));
            awaitQueued(client, base, 1);
            // the oldest waiting request has time for the running one to finish (1.8 s at most); this one, behind
            // it, does not: it needs the running request stopped and the oldest stopped at its first exit
            Reply behind = postJson(client, base, "v1/predict", request(3, 1100));
            assertThat(behind.status()).as(behind.body()).isEqualTo(200);
            assertThat(answeredExit(behind)).isPositive();

            assertThat(answeredExit(running.get())).as("stopped at an exit for the request behind the oldest").isBetween(1, 9);
            assertThat(oldest.get().status()).isEqualTo(200);
        }
    }

    @Test
    void aClientThatLeavesMidStreamStopsTheWorkForItsRequest() throws Exception {
        SlowFakeModel model = new SlowFakeModel(5, 150);
        try (AnytimeServer server = ServerTestSupport.start(model, ServerTestSupport.config(1))) {
            String body = request(7, 10_000);
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/predict?stream=true HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                String line;
                while ((line = in.readLine()) != null && !line.startsWith("event: exit")) {
                    // headers and chunk sizes
                }
                assertThat(line).isEqualTo("event: exit");
            } // closed after the first exit's event
            HttpClient client = ServerTestSupport.client();
            long end = System.currentTimeMillis() + 5000;
            while (metric(get(client, server.uri(), "metrics").body(), "anytime_cancelled_total") < 1
                    && System.currentTimeMillis() < end) {
                Thread.sleep(50);
            }
            assertThat(metric(get(client, server.uri(), "metrics").body(), "anytime_cancelled_total")).isEqualTo(1);
            assertThat(model.stepsRun(7)).as("steps run for the request whose client left").isBetween(1, 4);
            // the worker is free again
            Reply after = postJson(client, server.uri(), "v1/predict", request(8, 10_000));
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.json().get("exit").asInt()).isEqualTo(5);
        }
    }

    @Test
    void stopFinishesTheRequestsInFlightThenRefusesConnections() throws Exception {
        SlowFakeModel model = new SlowFakeModel(4, 100);
        AnytimeServer server = ServerTestSupport.start(model, ServerTestSupport.config(1).withQueue(4, 1));
        URI base = server.uri();
        HttpClient client = ServerTestSupport.client();
        CompletableFuture<Reply> first = CompletableFuture.supplyAsync(() -> postJson(client, base, "v1/predict",
                request(1, 5000)));
        awaitSteps(model, 1);
        CompletableFuture<Reply> second = CompletableFuture.supplyAsync(() -> postJson(client, base, "v1/predict",
                request(2, 5000)));
        awaitQueued(client, base, 1);

        server.stop();

        assertThat(first.get().status()).isEqualTo(200);
        assertThat(first.get().json().get("exit").asInt()).as("run to its end, not cut").isEqualTo(4);
        assertThat(second.get().status()).as("admitted before the stop, answered").isEqualTo(200);
        assertThat(second.get().json().get("exit").asInt()).isEqualTo(4);
        assertThat(model.closed).isTrue();
        assertThat(server.workersAlive()).isZero();
        assertThatThrownBy(() -> new Socket("127.0.0.1", server.port()).close()).isInstanceOf(ConnectException.class);
    }

    /**
     * Answers one request first (so that the first hand-over of answers is not the one measured), then starts
     * request 1 with a deadline of 10 s and waits until it runs.
     */
    private static CompletableFuture<Reply> answerOneThenRunLong(SlowFakeModel model, HttpClient client, URI base)
            throws InterruptedException {
        assertThat(postJson(client, base, "v1/predict", "{\"pixels\": [9,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0], "
                + "\"budgetMacs\": 1000, \"deadlineMs\": 5000}").status()).isEqualTo(200);
        CompletableFuture<Reply> running = CompletableFuture.supplyAsync(() -> postJson(client, base, "v1/predict",
                request(1, 10_000)));
        awaitSteps(model, 1);
        return running;
    }

    private static void awaitSteps(SlowFakeModel model, int id) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (model.stepsRun(id) == 0 && System.currentTimeMillis() < end) {
            Thread.sleep(5);
        }
        assertThat(model.stepsRun(id)).as("request %d started", id).isPositive();
    }

    private static void awaitQueued(HttpClient client, URI base, int n) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (metric(get(client, base, "metrics").body(), "anytime_queue_depth") < n && System.currentTimeMillis() < end) {
            Thread.sleep(5);
        }
        assertThat(metric(get(client, base, "metrics").body(), "anytime_queue_depth")).isEqualTo(n);
    }
}
