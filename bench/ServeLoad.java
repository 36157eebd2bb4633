import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anytimenn.data.IdxArray;
import dev.anytimenn.data.IdxReader;
import dev.anytimenn.io.AtomicFiles;
import dev.anytimenn.io.Jsons;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Load generator of bench/serve-load: starts `anytime serve` in each mode (full network, then
 * anytime), measures C (the rate the full-network server answers at the final exit within the
 * deadline: a closed loop of one client per worker), then offers open-loop Poisson load at multiples
 * of C on loopback, each load bounded in time and in count, with labelled Fashion-MNIST test images.
 * Latency is taken from each request's scheduled send time (so a slow server cannot hide queueing in
 * the client). Writes OUT.json, OUT.md (the table) and OUT.png/-goodput.svg/-accuracy.svg.
 *
 * Options: --jar --model --data --out --deadline-ms --loads --seconds --calibrate-seconds --warm-seconds
 * --max-requests --max-outstanding --port --queue --workers
 */
public class ServeLoad {

    record Outcome(int status, double latencyMs, int exit, boolean correct) {}

    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        Path jar = Path.of(o.getOrDefault("jar", "core/target/anytime-nn.jar"));
        String model = o.getOrDefault("model", "models/fashion-mnist");
        Path data = Path.of(o.getOrDefault("data", "/usr/share/datasets/fashion-mnist"));
        Path out = Path.of(o.getOrDefault("out", "bench/results/serve-load"));
        double deadlineMs = Double.parseDouble(o.getOrDefault("deadline-ms", "10"));
        double[] loads = Arrays.stream(o.getOrDefault("loads", "0.5,1,2,4,8").split(",")).mapToDouble(Double::parseDouble)
                .toArray();
        double seconds = Double.parseDouble(o.getOrDefault("seconds", "20"));
        double calibrateSeconds = Double.parseDouble(o.getOrDefault("calibrate-seconds", "10"));
        double warmSeconds = Double.parseDouble(o.getOrDefault("warm-seconds", "5"));
        int maxRequests = Integer.parseInt(o.getOrDefault("max-requests", "200000"));
        int maxOutstanding = Integer.parseInt(o.getOrDefault("max-outstanding", "4000"));
        int port = Integer.parseInt(o.getOrDefault("port", "18600"));
        String queue = o.getOrDefault("queue", "64");
        String workers = o.get("workers");

        List<byte[]> bodies = new ArrayList<>();
        int[] labels = readTestSet(data, deadlineMs, bodies);
        System.out.printf(Locale.ROOT, "serve-load: %d labelled test images, deadline %s ms, loads %s x C, %s s each%n",
                bodies.size(), deadlineMs, Arrays.toString(loads), seconds);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("command", "bench/serve-load " + String.join(" ", args));
        result.put("deadlineMs", deadlineMs);
        result.put("seconds", seconds);
        result.put("cores", Runtime.getRuntime().availableProcessors());
        List<Map<String, Object>> rows = new ArrayList<>();
        double capacity = 0;
        for (String mode : List.of("full", "anytime")) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dai.djl.offline=true", "-Djava.awt.headless=true", "-jar", jar.toString(), "serve", model,
                    "--port", Integer.toString(port), "--mode", mode, "--queue", queue,
                    "--default-deadline-ms", Double.toString(deadlineMs)));
            if (workers != null) {
                command.addAll(List.of("--workers", workers));
            }
            Path log = Files.createTempFile("serve-load-" + mode, ".log");
            Process server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                URI base = URI.create("http://127.0.0.1:" + port + "/");
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newFixedThreadPool(2)).build();
                awaitReady(client, base, server, log);
                int w = (int) metric(client, base, "anytime_workers_alive");
                closedLoop(client, base, bodies, labels, Math.max(2, w), warmSeconds, deadlineMs); // both JITs warm
                if (mode.equals("full")) {
                    List<Outcome> calibration = closedLoop(client, base, bodies, labels, w, calibrateSeconds, deadlineMs);
                    capacity = calibration.stream().filter(r -> r.status == 200 && r.latencyMs <= deadlineMs).count()
                            / calibrateSeconds;
                    // what C leaves out: answers later than the deadline in the closed loop
                    result.put("calibration", summarize("full", 0, 0, calibrateSeconds, deadlineMs, calibration));
                    System.out.printf(Locale.ROOT, "C = %.1f requests/s answered at the final exit within %s ms "
                            + "(closed loop, %d clients = workers)%n", capacity, deadlineMs, w);
                    result.put("capacityPerSecond", capacity);
                    result.put("workers", w);
                }
                for (double load : loads) {
                    double rate = load * capacity;
                    List<Outcome> outcomes = openLoop(client, base, bodies, labels, rate, seconds, maxRequests,
                            maxOutstanding);
                    Map<String, Object> row = summarize(mode, load, rate, seconds, deadlineMs, outcomes);
                    rows.add(row);
                    System.out.println(row);
                    Thread.sleep(1000); // let the backlog drain before the next load
                }
            } finally {
                server.toHandle().destroy();
                if (!server.waitFor(60, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
                System.out.println(mode + " server exit code " + server.exitValue() + " (log " + log + ")");
            }
        }
        result.put("rows", rows);
        Files.createDirectories(out.toAbsolutePath().getParent());
        AtomicFiles.writeString(Path.of(out + ".json"), Jsons.MAPPER.writeValueAsString(result) + "\n");
        AtomicFiles.writeString(Path.of(out + ".md"), table(result, rows));
        plot(rows, out);
        System.out.println("wrote " + out + ".json, .md, .png, -goodput.svg, -accuracy.svg");
        System.exit(0); // the HTTP clients' executors would keep the JVM alive
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options are --name value pairs, got " + Arrays.toString(args));
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        return o;
    }

    /** The test images as request bodies (pixels, with the deadline) and their labels. */
    static int[] readTestSet(Path dir, double deadlineMs, List<byte[]> bodies) throws Exception {
        IdxArray images = IdxReader.read(find(dir, "t10k-images-idx3-ubyte"));
        IdxArray labels = IdxReader.read(find(dir, "t10k-labels-idx1-ubyte"));
        int n = Math.min(images.count(), 2000);
        int size = images.data().length / images.count();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            StringBuilder s = new StringBuilder("{\"deadlineMs\": ").append(deadlineMs).append(", \"pixels\": [");
            for (int p = 0; p < size; p++) {
                s.append(p == 0 ? "" : ",").append(images.data()[i * size + p] & 0xff);
            }
            bodies.add(s.append("]}").toString().getBytes(StandardCharsets.US_ASCII));
            out[i] = labels.data()[i] & 0xff;
        }
        return out;
    }

    static Path find(Path dir, String name) {
        for (String candidate : List.of(name + ".gz", name)) {
            if (Files.exists(dir.resolve(candidate))) {
                return dir.resolve(candidate);
            }
        }
        throw new IllegalArgumentException(dir + ": no " + name + "(.gz); install dataset-fashion-mnist or give --data DIR");
    }

    static void awaitReady(HttpClient client, URI base, Process server, Path log) throws Exception {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < end) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited: " + Files.readString(log));
            }
            try {
                if (client.send(HttpRequest.newBuilder(base.resolve("readyz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server was not ready within 5 minutes: " + Files.readString(log));
    }

    static double metric(HttpClient client, URI base, String name) throws Exception {
        String text = client.send(HttpRequest.newBuilder(base.resolve("metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1));
            }
        }
        throw new IllegalStateException("no metric " + name);
    }

    static HttpRequest request(URI base, byte[] body) {
        return HttpRequest.newBuilder(base.resolve("v1/predict")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    static Outcome outcome(int status, String body, long scheduled, int label) {
        double ms = (System.nanoTime() - scheduled) / 1e6;
        if (status != 200) {
            return new Outcome(status, ms, 0, false);
        }
        try {
            JsonNode a = JSON.readTree(body);
            return new Outcome(200, ms, a.get("exit").asInt(), a.get("label").asInt() == label);
        } catch (IOException e) {
            return new Outcome(-2, ms, 0, false);
        }
    }

    /** {@code clients} clients, each sending its next request when the last is answered. */
    static List<Outcome> closedLoop(HttpClient client, URI base, List<byte[]> bodies, int[] labels, int clients,
            double seconds, double deadlineMs) throws Exception {
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int first = c;
            done.add(CompletableFuture.runAsync(() -> {
                for (int i = first; System.nanoTime() < end; i += clients) {
                    int k = i % bodies.size();
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> r = client.send(request(base, bodies.get(k)), HttpResponse.BodyHandlers.ofString());
                        outcomes.add(outcome(r.statusCode(), r.body(), sent, labels[k]));
                    } catch (Exception e) {
                        outcomes.add(new Outcome(-1, (System.nanoTime() - sent) / 1e6, 0, false));
                    }
                }
            }, pool));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
        pool.shutdown();
        return new ArrayList<>(outcomes);
    }

    /**
     * Poisson arrivals at {@code rate} per second for {@code seconds}, at most {@code maxRequests};
     * a request that would exceed {@code maxOutstanding} in flight is counted as dropped by the client
     * (status -3) instead of being sent.
     */
    static List<Outcome> openLoop(HttpClient client, URI base, List<byte[]> bodies, int[] labels, double rate,
            double seconds, int maxRequests, int maxOutstanding) throws Exception {
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        Semaphore inFlight = new Semaphore(maxOutstanding);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        Random random = new Random(42);
        long start = System.nanoTime();
        double t = 0;
        for (int i = 0; i < maxRequests; i++) {
            t += -Math.log(1 - random.nextDouble()) / rate;
            if (t >= seconds) {
                break;
            }
            long at = start + (long) (t * 1e9);
            for (long wait; (wait = at - System.nanoTime()) > 0;) {
                if (wait > 200_000) {
                    LockSupport.parkNanos(wait - 100_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            if (!inFlight.tryAcquire()) {
                outcomes.add(new Outcome(-3, 0, 0, false));
                continue;
            }
            int k = i % bodies.size();
            pending.add(client.sendAsync(request(base, bodies.get(k)), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, failure) -> {
                        outcomes.add(failure != null ? new Outcome(-1, (System.nanoTime() - at) / 1e6, 0, false)
                                : outcome(r.statusCode(), r.body(), at, labels[k]));
                        inFlight.release();
                    }));
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // what has not come back within a minute is counted as missing below
        }
        List<Outcome> all = new ArrayList<>(outcomes);
        for (long missing = pending.size() - all.stream().filter(x -> x.status != -3).count(); missing > 0; missing--) {
            all.add(new Outcome(-1, 60_000, 0, false));
        }
        return all;
    }

    static Map<String, Object> summarize(String mode, double load, double rate, double seconds, double deadlineMs,
            List<Outcome> outcomes) {
        List<Outcome> ok = outcomes.stream().filter(x -> x.status == 200).toList();
        double[] latencies = outcomes.stream().filter(x -> x.status == 200 || x.status == 503)
                .mapToDouble(Outcome::latencyMs).sorted().toArray();
        double[] okLatencies = ok.stream().mapToDouble(Outcome::latencyMs).sorted().toArray();
        long within = ok.stream().filter(x -> x.latencyMs <= deadlineMs).count();
        long withinSlack = ok.stream().filter(x -> x.latencyMs <= deadlineMs + 1).count();
        long unavailable = outcomes.stream().filter(x -> x.status == 503).count();
        long bad = outcomes.stream().filter(x -> x.status == 400).count();
        long other = outcomes.stream().filter(x -> x.status != 200 && x.status != 400 && x.status != 503).count();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("mode", mode);
        row.put("load", load);
        row.put("offeredPerSecond", round(rate));
        row.put("requests", outcomes.size());
        row.put("answered200", ok.size());
        row.put("goodputPerSecond", round(within / seconds));
        row.put("okWithinDeadlinePlus1msShare", ok.isEmpty() ? null : round(withinSlack / (double) ok.size()));
        row.put("p50Ms", round(quantile(latencies, 0.5)));
        row.put("p99Ms", round(quantile(latencies, 0.99)));
        row.put("p99OvershootMs", round(Math.max(0, quantile(okLatencies, 0.99) - deadlineMs)));
        row.put("share503", round(unavailable / (double) Math.max(1, outcomes.size())));
        row.put("count400", bad);
        row.put("otherStatuses", other);
        row.put("meanExit", round(ok.stream().mapToInt(Outcome::exit).average().orElse(Double.NaN)));
        row.put("accuracy", round(ok.stream().filter(Outcome::correct).count() / (double) Math.max(1, ok.size())));
        return row;
    }

    static double quantile(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
    }

    static String table(Map<String, Object> result, List<Map<String, Object>> rows) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "# serve-load%n%nCommand: `%s`%n%nC = %.1f requests/s (full network, final exit "
                + "within %s ms, %s workers, %s cores); %s s per load; latency from the scheduled send time, over 200 and "
                + "503 answers; overshoot: p99 of the 200s' latency past the deadline.%n%n", result.get("command"),
                (Double) result.get("capacityPerSecond"), result.get("deadlineMs"), result.get("workers"),
                result.get("cores"), result.get("seconds")));
        s.append("| mode | load | offered/s | goodput/s | 200s within D+1 ms | p50 ms | p99 ms | p99 overshoot ms | 503 | "
                + "other | mean exit | accuracy |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %sC | %.0f | %.0f | %s | %.2f | %.2f | %.2f | %.1f %% | %d | %.2f | %s |%n",
                    r.get("mode"), r.get("load"), (Double) r.get("offeredPerSecond"), (Double) r.get("goodputPerSecond"),
                    r.get("okWithinDeadlinePlus1msShare") == null ? "-"
                            : String.format(Locale.ROOT, "%.2f %%", 100 * (Double) r.get("okWithinDeadlinePlus1msShare")),
                    (Double) r.get("p50Ms"), (Double) r.get("p99Ms"), (Double) r.get("p99OvershootMs"),
                    100 * (Double) r.get("share503"), (Long) r.get("otherStatuses") + (Long) r.get("count400"),
                    (Double) r.get("meanExit"), String.format(Locale.ROOT, "%.2f %%", 100 * (Double) r.get("accuracy"))));
        }
        return s.toString();
    }

    static void plot(List<Map<String, Object>> rows, Path out) throws IOException {
        XYChart goodput = chart("Goodput (answered within the deadline)", "requests/s");
        XYChart accuracy = chart("Accuracy of the 200 answers", "accuracy (%)");
        for (String mode : List.of("full", "anytime")) {
            List<Map<String, Object>> mine = rows.stream().filter(r -> r.get("mode").equals(mode)).toList();
            double[] x = mine.stream().mapToDouble(r -> (Double) r.get("load")).toArray();
            String name = mode.equals("full") ? "full network" : "anytime";
            goodput.addSeries(name, x, mine.stream().mapToDouble(r -> (Double) r.get("goodputPerSecond")).toArray())
                    .setMarker(SeriesMarkers.CIRCLE);
            accuracy.addSeries(name, x, mine.stream().mapToDouble(r -> 100 * (Double) r.get("accuracy")).toArray())
                    .setMarker(SeriesMarkers.CIRCLE);
        }
        BitmapEncoder.saveBitmap(List.of(goodput, accuracy), 1, 2, out + ".png", BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(goodput, out + "-goodput.svg", VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        VectorGraphicsEncoder.saveVectorGraphic(accuracy, out + "-accuracy.svg", VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }

    static XYChart chart(String title, String y) {
        XYChart chart = new XYChartBuilder().width(560).height(400).title(title).xAxisTitle("offered load (x C)")
                .yAxisTitle(y).build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
        return chart;
    }
}
