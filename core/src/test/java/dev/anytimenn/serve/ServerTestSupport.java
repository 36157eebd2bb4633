package dev.anytimenn.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.InferenceEngine;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/** Starting servers on a free port and talking to them, for the serve tests. */
final class ServerTestSupport {

    /** The repository's shipped model (tests run in core/). */
    static final Path SHIPPED = Path.of("..", "models", "fashion-mnist");

    private ServerTestSupport() {}

    static ServeConfig config(int workers) {
        return ServeConfig.defaults(workers).withPort(0);
    }

    static AnytimeServer start(ServedModel model, ServeConfig config) throws Exception {
        AnytimeServer server = new AnytimeServer(model, config);
        server.start();
        if (!server.awaitReady(2, TimeUnit.MINUTES)) {
            server.stop();
            throw new IllegalStateException("the server did not warm up");
        }
        return server;
    }

    static AnytimeServer startShipped(ServeConfig config) throws Exception {
        if (!Files.isDirectory(SHIPPED)) {
            throw new IllegalStateException("the shipped model is missing: " + SHIPPED.toAbsolutePath());
        }
        return start(new OpenedModel(AnytimeModel.open(SHIPPED, Device.cpu()), InferenceEngine.DJL), config);
    }

    static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** One response: status, headers and body. */
    record Reply(int status, HttpResponse<String> raw) {
        String body() {
            return raw.body();
        }

        JsonNode json() {
            try {
                return AnswerBodies.MAPPER.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw.body(), e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    static Reply post(HttpClient client, URI base, String pathAndQuery, String contentType, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return send(client, request);
    }

    static Reply postJson(HttpClient client, URI base, String pathAndQuery, String json) {
        return post(client, base, pathAndQuery, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The exit that answered {@code reply}, which must be a 200 (its body says why when not). */
    static int answeredExit(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().get("exit").asInt();
    }

    static Reply get(HttpClient client, URI base, String path) {
        return send(client, HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).GET().build());
    }

    private static Reply send(HttpClient client, HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response);
        } catch (IOException e) {
            throw new AssertionError(request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A JSON array of {@code n} pixel values, all {@code value}. */
    static String pixels(int n, int value) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",").append(value);
        }
        return s.append(']').toString();
    }

    /** A PNG of a light filled rectangle on black, {@code w x h}. */
    static byte[] png(int w, int h) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(w / 4, h / 8, w / 2, 3 * h / 4);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
