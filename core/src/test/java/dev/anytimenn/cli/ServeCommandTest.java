package dev.anytimenn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code anytime serve} as a process: the shipped model by default, the URL printed, SIGTERM exits 0. */
class ServeCommandTest {

    @Test
    void servesTheShippedModelByDefaultAndStopsOnSigtermWithExitCode0() throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(javaBin.toString(), "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--port", "0",
                "--workers", "1", "--max-batch", "4").redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null;) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                lines.add("(output closed: " + e + ")");
            }
        });
        reader.setDaemon(true);
        reader.start();
        List<String> seen = new ArrayList<>();
        try {
            String url = null;
            while (url == null || seen.stream().noneMatch(l -> l.startsWith("ready: "))) {
                String line = lines.poll(120, TimeUnit.SECONDS);
                assertThat(line).as("output so far: %s", seen).isNotNull();
                seen.add(line);
                if (line.startsWith("anytime serve: http://")) {
                    url = line.substring("anytime serve: ".length(), line.indexOf(' ', "anytime serve: ".length()));
                }
            }
            assertThat(seen.stream().filter(l -> l.startsWith("anytime serve: ")).findFirst().orElseThrow())
                    .contains("models" + java.io.File.separator + "fashion-mnist");

            HttpClient client = HttpClient.newHttpClient();
            StringBuilder pixels = new StringBuilder();
            for (int i = 0; i < 784; i++) {
                pixels.append(i == 0 ? "" : ",").append(i % 255);
            }
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(url).resolve("v1/predict"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"deadlineMs\": 5000, \"pixels\": [" + pixels + "]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("\"className\"");

            process.toHandle().destroy(); // SIGTERM (Process.destroy would close our end of its output too)
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
            assertThat(process.exitValue()).isZero();
            reader.join(5000);
            lines.drainTo(seen);
            assertThat(seen).contains("stopped");
            assertThat(String.join("\n", seen)).doesNotContain("Exception");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aMissingModelIsOneLine() {
        CliRun o = CliRun.of("serve", "/no/such/model", "--port", "0");
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err().lines()).hasSize(1);
        assertThat(o.err()).startsWith("error: ").contains("/no/such/model");
    }

    @Test
    void theShippedModelIsFoundFromTheCodesLocation() {
        String old = System.clearProperty("anytimenn.home");
        try {
            assertThat(ServeCommand.shippedModel().resolve("model.safetensors")).exists();
        } finally {
            if (old != null) {
                System.setProperty("anytimenn.home", old);
            }
        }
    }

    @Test
    void badOptionsAreOneLine() {
        CliRun o = CliRun.of("serve", "--port", "0", "--queue", "0");
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err().strip()).isEqualTo("error: --queue must be at least 1, got 0");
        CliRun threads = CliRun.of("serve", "--port", "0", "--http-threads", "2");
        assertThat(threads.code()).isEqualTo(1);
        assertThat(threads.err().strip()).isEqualTo(
                "error: --http-threads must be at least 3 (an acceptor, a selector and one request thread), got 2");
        CliRun backlog = CliRun.of("serve", "--port", "0", "--accept-queue", "0");
        assertThat(backlog.code()).isEqualTo(1);
        assertThat(backlog.err().strip()).isEqualTo("error: --accept-queue must be at least 1, got 0");
    }

    @Test
    void helpDescribesTheHttpLimits() {
        CliRun o = CliRun.of("serve", "--help");
        assertThat(o.code()).isZero();
        assertThat(o.out().replaceAll("\\s+", " ")).contains("--http-threads=N", "default: W + 6, at least 3", "--accept-queue=N",
                "(default: 128)");
    }
}
