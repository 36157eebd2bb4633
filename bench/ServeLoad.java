import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anytimenn.data.IdxArray;
import dev.anytimenn.data.IdxReader;
import dev.anytimenn.io.AtomicFiles;
import dev.anytimenn.io.Jsons;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Load generator of bench/serve-load: starts `anytime serve` in each mode (full network, then anytime),
 * measures C (the rate the full-network server answers at the final exit within the deadline: the best of
 * closed loops of 1, 2, 4, ... clients per worker, since the server batches what waits), warms each server
 * with a closed loop and then --warm-seconds of open-loop load at 2C (not measured), then offers open-loop Poisson load at multiples of C on loopback with
 * labelled Fashion-MNIST test images. Writes OUT.json, OUT.md (the tables and the goals) and
 * OUT.png, OUT-goodput.svg, OUT-accuracy.svg, OUT-latency.svg.
 *
 * <p>Why it is built this way (#15: the first measurement measured the pair, not the server):
 * <ul>
 *   <li>The server runs under {@code taskset} on its own CPUs ({@code --server-cpus}); bench/serve-load
 *       starts this JVM under {@code taskset} on the others, so the load generator does not take the
 *       server's CPU. C is calibrated under the same pinning. What the kernel reports for each process
 *       ({@code Cpus_allowed_list}) goes into the results.
 *   <li>Latency is taken by two clocks: the client's, from each request's scheduled send time (open loop,
 *       so a late send or a slow client counts: coordinated-omission-safe), and the server's own
 *       {@code totalMs} (from Jetty starting to parse the request to the answer). The client's send lag
 *       (when it wrote the request, minus the scheduled time) is reported too, so server lateness and
 *       client lateness can be told apart. Goodput is on the client's clock.
 *   <li>The client stays light: at most {@code --max-in-flight} requests at once (one more is counted as
 *       not sent, never queued in the client), callbacks only stamp the time and keep the body (parsed
 *       after the load), connections are opened before the load, and the server's accept queue is made at
 *       least as large as the client can open at once. Client-side failures are counted by kind.
 *   <li>The predict requests go through one of two clients ({@code --client}). {@code raw} (the default):
 *       plain java.nio, {@code --max-in-flight} keep-alive connections kept open, requests encoded before
 *       the load and written by the scheduler itself, one selector thread reading the answers; send lag is
 *       the time the request's bytes went to the kernel. {@code jdk}: {@code java.net.http.HttpClient}'s
 *       {@code sendAsync} with a small executor of its own; send lag is when it began writing the body.
 *       HttpClient added milliseconds of its own at a few thousand requests/s (send lag p99 12 ms at 8C,
 *       1.6 ms between the clocks' medians at low load): too much to judge a 10 ms deadline to the
 *       millisecond. {@code --client jdk} is kept to compare against.
 * </ul>
 *
 * {@code --modes} picks the modes whose loads are run, in order; C is always calibrated on the full
 * network, on a server started for that alone when the loads do not begin with it.
 *
 * Options (--name value): --jar --model --data --out --deadline-ms --loads --seconds --calibrate-seconds
 * --capacity --calibrate-max-clients --warm-seconds --max-requests --max-in-flight --timeout-s --client-threads --warm-connections --port
 * --queue --workers --engine-threads --http-threads --accept-queue --server-cpus --client-cpus
 * --server-java-options --first-exit-images --client --modes
 */
public class ServeLoad {

    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Pinning pin = Pinning.of(o);
        TestImages images = TestImages.read(o.data(), o.deadlineMs());
        System.out.printf(Locale.ROOT, "serve-load: %d labelled test images, deadline %s ms, loads %s x C, %s s each; %s%n",
                images.size(), o.deadlineMs(), Arrays.toString(o.loads()), o.seconds(), pin.describe());

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("command", "bench/serve-load " + String.join(" ", args));
        result.put("deadlineMs", o.deadlineMs());
        result.put("seconds", o.seconds());
        result.put("machineCpus", Pinning.onlineCpus());
        result.put("pinning", pin.toJson());
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("kind", o.client());
        client.put("cpusAllowed", Pinning.cpusAllowed("self"));
        client.put("executorThreads", o.clientThreads());
        client.put("maxInFlight", o.maxInFlight());
        client.put("timeoutSeconds", o.timeoutSeconds());
        client.put("warmConnections", o.warmConnections());
        result.put("client", client);
        result.put("somaxconn", Pinning.somaxconn());
        Map<String, Object> servers = new LinkedHashMap<>();
        result.put("servers", servers);
        List<Map<String, Object>> rows = new ArrayList<>();
        double capacity = 0;
        // C is the full network's rate, so a run whose loads do not begin with it calibrates on a full server first
        List<String> passes = new ArrayList<>(o.modes());
        boolean calibrationPass = o.fixedCapacity() == null && !passes.get(0).equals("full");
        if (calibrationPass) {
            passes.add(0, "full");
        }
        for (int pass = 0; pass < passes.size(); pass++) {
            String mode = passes.get(pass);
            boolean loads = !(calibrationPass && pass == 0);
            try (ServerProcess server = ServerProcess.start(o, mode, pin);
                    LoadClient load = new LoadClient(server.base(), o)) {
                load.awaitReady(server);
                Map<String, Object> about = server.describe();
                int w = (int) load.metric("anytime_workers_alive");
                about.put("workersAlive", w);
                Boolean disjoint = Pinning.disjoint((String) client.get("cpusAllowed"), (String) about.get("cpusAllowed"));
                about.put("disjointFromClient", disjoint);
                if (Boolean.FALSE.equals(disjoint)) {
                    System.out.println("serve-load: warning: the server (CPUs " + about.get("cpusAllowed") + ") and the load "
                            + "generator (CPUs " + client.get("cpusAllowed") + ") share CPUs: this measures the pair");
                }
                servers.put(loads ? mode : mode + " (C only)", about);
                System.out.println(mode + " server" + (loads ? "" : " (C only)") + ": " + about);
                load.closedLoop(images, Math.max(2, w), o.warmSeconds(), ""); // both JITs warm
                if (!result.containsKey("capacityPerSecond") && o.fixedCapacity() != null) {
                    // given: runs compared side by side (a server change A/B) then offer the same loads
                    capacity = o.fixedCapacity();
                    result.put("capacityPerSecond", capacity);
                    result.put("capacityGiven", true);
                    result.put("calibrationClients", 0);
                    result.put("calibrationByClients", Map.of());
                    result.put("workers", w);
                    System.out.printf(Locale.ROOT, "C = %.1f requests/s as given (--capacity), not measured%n", capacity);
                } else if (!result.containsKey("capacityPerSecond")) { // the first pass, on the full network
                    // The full server batches what waits, so its rate within the deadline grows with the requests
                    // in flight until batches get too slow: C is the best rate over closed loops of 1, 2, 4, ...
                    // clients per worker (one client per worker alone would leave batching out and understate C).
                    Map<String, Object> levels = new LinkedHashMap<>();
                    int bestClients = w;
                    List<Outcome> best = null;
                    for (int clients = w; clients <= w * o.calibrateMaxClientsPerWorker(); clients *= 2) {
                        List<Outcome> level = Outcome.of(load.closedLoop(images, clients, o.calibrateSeconds(), ""), images);
                        double rate = level.stream().filter(r -> r.status() == 200 && r.clientMs() <= o.deadlineMs())
                                .count() / o.calibrateSeconds();
                        levels.put(Integer.toString(clients), Summary.round(rate));
                        System.out.printf(Locale.ROOT, "calibration: %d clients: %.1f requests/s at the final exit within "
                                + "%s ms%n", clients, rate, o.deadlineMs());
                        if (rate > capacity) { // every level runs: one slow spell must not end the search
                            capacity = rate;
                            best = level;
                            bestClients = clients;
                        }
                    }
                    result.put("calibrationByClients", levels);
                    result.put("calibrationClients", bestClients);
                    result.put("calibration", Summary.row("full", 0, 0, o, best == null ? List.of() : best));
                    System.out.printf(Locale.ROOT, "C = %.1f requests/s answered at the final exit within %s ms "
                            + "(closed loop, best of 1-%d clients per worker: %d clients)%n", capacity, o.deadlineMs(),
                            o.calibrateMaxClientsPerWorker(), bestClients);
                    result.put("capacityPerSecond", capacity);
                    result.put("workers", w);
                } else if (mode.equals("anytime") && o.firstExitImages() > 0) {
                    result.put("firstExit", firstExitAccuracy(load, images, o));
                }
                if (loads && o.warmSeconds() > 0 && capacity > 0) {
                    // the loads' own paths warm too (batches, early exits, 503s), not only the closed loop's:
                    // otherwise the first load measures the server's JIT as well
                    load.openLoop(images, 2 * capacity, o.warmSeconds());
                    Thread.sleep(1000);
                }
                for (double factor : loads ? o.loads() : new double[0]) {
                    load.warmConnections(o.warmConnections());
                    List<Outcome> outcomes = Outcome.of(load.openLoop(images, factor * capacity), images);
                    Map<String, Object> row = Summary.row(mode, factor, factor * capacity, o, outcomes);
                    rows.add(row);
                    System.out.println(row);
                    Thread.sleep(1000); // let the backlog drain before the next load
                }
            }
        }
        result.put("rows", rows);
        result.put("goals", Goals.judge(result, rows, o.deadlineMs()));
        Files.createDirectories(o.out().toAbsolutePath().getParent());
        AtomicFiles.writeString(Path.of(o.out() + ".json"), Jsons.MAPPER.writeValueAsString(result) + "\n");
        AtomicFiles.writeString(Path.of(o.out() + ".md"), Report.markdown(result, rows));
        Report.plot(rows, o.out());
        System.out.println("wrote " + o.out() + ".json, .md, .png, -goodput.svg, -accuracy.svg, -latency.svg");
        System.exit(0); // the HTTP clients' threads would keep the JVM alive
    }

    /**
     * The first exit's accuracy on the same images, served (a closed loop with a MAC budget of the first
     * exit's cost): what the anytime answers under load must beat.
     */
    static Map<String, Object> firstExitAccuracy(LoadClient load, TestImages images, Options o) throws Exception {
        JsonNode model = load.getJson("v1/model");
        long firstMacs = model.get("exits").get(0).get("cumulativeMacs").asLong();
        TestImages some = images.first(o.firstExitImages());
        List<Outcome> answers = Outcome.of(load.closedLoopOnce(some, "?budgetMacs=" + firstMacs), some);
        List<Outcome> ok = answers.stream().filter(a -> a.status() == 200).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("budgetMacs", firstMacs);
        m.put("images", some.size());
        m.put("answered", ok.size());
        m.put("exits", ok.stream().map(Outcome::exit).collect(Collectors.toCollection(java.util.TreeSet::new)));
        m.put("accuracy", Summary.round(ok.stream().filter(Outcome::correct).count() / (double) Math.max(1, ok.size())));
        System.out.println("first exit alone: " + m);
        return m;
    }
}

/** The command line: --name value pairs, each with its default; an unknown name is a one-line error. */
record Options(Path jar, String model, Path data, Path out, double deadlineMs, double[] loads, double seconds,
        Double fixedCapacity, double calibrateSeconds, int calibrateMaxClientsPerWorker, double warmSeconds, int maxRequests, int maxInFlight, double timeoutSeconds,
        int clientThreads, int warmConnections, int port, int queue, Integer workers, int engineThreads,
        Integer httpThreads, int acceptQueue, String serverCpus, String clientCpus, List<String> serverJavaOptions,
        int firstExitImages, String client, List<String> modes) {

    static final Set<String> NAMES = new LinkedHashSet<>(List.of("jar", "model", "data", "out", "deadline-ms", "loads",
            "seconds", "capacity", "calibrate-seconds", "calibrate-max-clients", "warm-seconds", "max-requests", "max-in-flight", "timeout-s",
            "client-threads", "warm-connections", "port", "queue", "workers", "engine-threads", "http-threads",
            "accept-queue", "server-cpus", "client-cpus", "server-java-options", "first-exit-images", "client", "modes"));

    static Options parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options are --name value pairs, got " + Arrays.toString(args));
            }
            String name = args[i].substring(2);
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (known: --" + String.join(", --", NAMES) + ")");
            }
            o.put(name, args[i + 1]);
        }
        int maxInFlight = Integer.parseInt(o.getOrDefault("max-in-flight", "128"));
        Options options = new Options(Path.of(o.getOrDefault("jar", "core/target/anytime-nn.jar")),
                o.getOrDefault("model", "models/fashion-mnist"),
                Path.of(o.getOrDefault("data", "/usr/share/datasets/fashion-mnist")),
                Path.of(o.getOrDefault("out", "bench/results/serve-load")),
                Double.parseDouble(o.getOrDefault("deadline-ms", "10")),
                Arrays.stream(o.getOrDefault("loads", "0.5,1,2,4,8").split(",")).mapToDouble(Double::parseDouble).toArray(),
                Double.parseDouble(o.getOrDefault("seconds", "20")),
                o.containsKey("capacity") ? Double.valueOf(o.get("capacity")) : null,
                Double.parseDouble(o.getOrDefault("calibrate-seconds", "10")),
                Integer.parseInt(o.getOrDefault("calibrate-max-clients", "16")),
                Double.parseDouble(o.getOrDefault("warm-seconds", "5")),
                Integer.parseInt(o.getOrDefault("max-requests", "200000")),
                maxInFlight,
                Double.parseDouble(o.getOrDefault("timeout-s", "10")),
                Integer.parseInt(o.getOrDefault("client-threads", "2")),
                Integer.parseInt(o.getOrDefault("warm-connections", "16")),
                Integer.parseInt(o.getOrDefault("port", "18600")),
                Integer.parseInt(o.getOrDefault("queue", "64")),
                o.containsKey("workers") ? Integer.valueOf(o.get("workers")) : null,
                Integer.parseInt(o.getOrDefault("engine-threads", "1")),
                o.containsKey("http-threads") ? Integer.valueOf(o.get("http-threads")) : null,
                // the client may open max-in-flight connections at once: a smaller backlog would drop SYNs,
                // which the client resends only after a second
                Integer.parseInt(o.getOrDefault("accept-queue", Integer.toString(Math.max(128, maxInFlight)))),
                o.getOrDefault("server-cpus", "none"),
                o.getOrDefault("client-cpus", "none"),
                o.containsKey("server-java-options") ? List.of(o.get("server-java-options").trim().split("\\s+")) : List.of(),
                Integer.parseInt(o.getOrDefault("first-exit-images", "2000")),
                o.getOrDefault("client", "raw"),
                List.of(o.getOrDefault("modes", "full,anytime").split(",")));
        options.check();
        return options;
    }

    private void check() {
        require(deadlineMs > 0, "--deadline-ms must be positive, got " + deadlineMs);
        require(loads.length > 0 && Arrays.stream(loads).allMatch(l -> l > 0), "--loads must be positive multiples of C");
        require(seconds > 0 && calibrateSeconds > 0 && warmSeconds >= 0, "--seconds and --calibrate-seconds must be positive");
        require(fixedCapacity == null || fixedCapacity > 0, "--capacity must be positive, got " + fixedCapacity);
        require(calibrateMaxClientsPerWorker >= 1, "--calibrate-max-clients must be at least 1, got "
                + calibrateMaxClientsPerWorker);
        require(maxInFlight >= 1, "--max-in-flight must be at least 1, got " + maxInFlight);
        require(timeoutSeconds > 0, "--timeout-s must be positive, got " + timeoutSeconds);
        require(clientThreads >= 1, "--client-threads must be at least 1, got " + clientThreads);
        require(engineThreads >= 1, "--engine-threads must be at least 1, got " + engineThreads);
        require(warmConnections >= 0, "--warm-connections must be at least 0, got " + warmConnections);
        require(firstExitImages >= 0, "--first-exit-images must be at least 0, got " + firstExitImages);
        require(client.equals("raw") || client.equals("jdk"), "--client must be raw or jdk, got " + client);
        require(!modes.isEmpty() && Set.of("full", "anytime").containsAll(modes) && Set.copyOf(modes).size() == modes.size(),
                "--modes must be full, anytime or both (in the order to run), got " + String.join(",", modes));
        require(serverCpus.equals("none") || Pinning.count(serverCpus) > 0, "--server-cpus must be a CPU list such as 0 "
                + "or 0-1,3, or none; got " + serverCpus);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

/**
 * Where the server and the client run. The client is pinned before its JVM starts (bench/serve-load runs
 * it under taskset); the server is started here under {@code taskset -c SERVER_CPUS}. Without taskset, or
 * with {@code --server-cpus none}, both run unpinned and the results say so.
 */
record Pinning(String serverCpus, String clientCpus, boolean taskset, String note) {

    static Pinning of(Options o) {
        if (o.serverCpus().equals("none")) {
            return new Pinning(null, null, false, "unpinned: the server and the load generator share every CPU");
        }
        if (!onPath("taskset")) {
            String note = "no taskset on this machine: the server and the load generator run unpinned, sharing every CPU";
            System.out.println("serve-load: " + note);
            return new Pinning(null, null, false, note);
        }
        String client = o.clientCpus().equals("none") ? "the load generator unpinned (bench/serve-load pins it)"
                : "load generator on CPUs " + o.clientCpus();
        return new Pinning(o.serverCpus(), o.clientCpus(), true, "server on CPUs " + o.serverCpus() + ", " + client
                + " (taskset)");
    }

    /** Whether two CPU lists share no CPU; null when either is unknown. */
    static Boolean disjoint(String a, String b) {
        if (a == null || b == null || count(a) == 0 || count(b) == 0) {
            return null;
        }
        Set<Integer> left = cpus(a);
        left.retainAll(cpus(b));
        return left.isEmpty();
    }

    /** The CPUs of a list such as "0-1,3" (which {@link #count} accepts). */
    static Set<Integer> cpus(String list) {
        Set<Integer> out = new java.util.TreeSet<>();
        for (String part : list.split(",")) {
            String[] range = part.trim().split("-");
            int lo = Integer.parseInt(range[0]);
            int hi = range.length == 2 ? Integer.parseInt(range[1]) : lo;
            for (int c = lo; c <= hi; c++) {
                out.add(c);
            }
        }
        return out;
    }

    String describe() {
        return note;
    }

    /** The command prefix that pins the server. */
    List<String> prefix() {
        return taskset ? List.of("taskset", "-c", serverCpus) : List.of();
    }

    /** The workers the server gets by default: one per engine-threads CPUs of its own, or the server's default unpinned. */
    Integer defaultWorkers(int engineThreads) {
        return taskset ? Math.max(1, count(serverCpus) / engineThreads) : null;
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("taskset", taskset);
        m.put("serverCpus", serverCpus);
        m.put("clientCpus", clientCpus);
        m.put("note", note);
        return m;
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** How many CPUs a list such as "0-1,3" names; 0 when it is not such a list. */
    static int count(String list) {
        int n = 0;
        for (String part : list.split(",")) {
            String[] range = part.trim().split("-");
            try {
                int lo = Integer.parseInt(range[0]);
                int hi = range.length == 2 ? Integer.parseInt(range[1]) : lo;
                if (range.length > 2 || hi < lo || lo < 0) {
                    return 0;
                }
                n += hi - lo + 1;
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return n;
    }

    /** The CPUs the kernel lets a process run on ("self" or a pid), from /proc; null when unknown. */
    static String cpusAllowed(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring("Cpus_allowed_list:".length()).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process has gone
        }
        return null;
    }

    static String onlineCpus() {
        return readTrimmed("/sys/devices/system/cpu/online");
    }

    static String somaxconn() {
        return readTrimmed("/proc/sys/net/core/somaxconn");
    }

    /** The first line of a /proc or /sys file (read by lines: a one-byte first read of /proc/sys ends at that byte). */
    private static String readTrimmed(String path) {
        try {
            return Files.readAllLines(Path.of(path)).stream().findFirst().map(String::trim).orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

/** `anytime serve` as a child process, pinned when asked; closing it sends SIGTERM and waits. */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final List<String> command;
    private final Options options;
    private final String mode;

    private ServerProcess(Process process, Path log, List<String> command, Options options, String mode) {
        this.process = process;
        this.log = log;
        this.command = command;
        this.options = options;
        this.mode = mode;
    }

    static ServerProcess start(Options o, String mode, Pinning pin) throws IOException {
        // a server left on the port (from a run that was killed) would answer in place of this one, whose own
        // would exit at once: the load would measure the wrong server
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress("127.0.0.1", o.port()));
        } catch (IOException e) {
            throw new IllegalStateException("port " + o.port() + " is in use (a server left from an earlier run?): "
                    + "stop it or give --port");
        }
        List<String> command = new ArrayList<>(pin.prefix());
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(o.serverJavaOptions());
        command.addAll(List.of("-Dai.djl.offline=true", "-Djava.awt.headless=true", "-jar", o.jar().toString(), "serve",
                o.model(), "--port", Integer.toString(o.port()), "--mode", mode, "--queue", Integer.toString(o.queue()),
                "--default-deadline-ms", Double.toString(o.deadlineMs()), "--threads", Integer.toString(o.engineThreads()),
                "--accept-queue", Integer.toString(o.acceptQueue())));
        Integer workers = o.workers() != null ? o.workers() : pin.defaultWorkers(o.engineThreads());
        if (workers != null) {
            command.addAll(List.of("--workers", workers.toString()));
        }
        if (o.httpThreads() != null) {
            command.addAll(List.of("--http-threads", o.httpThreads().toString()));
        }
        Path log = Files.createTempFile("serve-load-" + mode, ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ServerProcess(process, log, command, o, mode);
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + options.port() + "/");
    }

    boolean alive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The command, the CPUs the kernel lets it use, and its banner (workers, threads, queue, HTTP limits). */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", String.join(" ", command));
        m.put("cpusAllowed", Pinning.cpusAllowed(Long.toString(process.pid())));
        m.put("banner", log().lines().filter(l -> l.startsWith("anytime serve: ")).findFirst().orElse(null));
        m.put("log", log.toString());
        return m;
    }

    @Override
    public void close() throws InterruptedException {
        process.toHandle().destroy(); // SIGTERM: a graceful stop
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        System.out.println(mode + " server exit code " + (process.isAlive() ? "(still running)" : process.exitValue())
                + " (log " + log + ")");
    }
}

/** The labelled test images as request bodies (pixels, with the deadline). */
record TestImages(List<byte[]> bodies, int[] labels) {

    static TestImages read(Path dir, double deadlineMs) throws Exception {
        IdxArray images = IdxReader.read(find(dir, "t10k-images-idx3-ubyte"));
        IdxArray labels = IdxReader.read(find(dir, "t10k-labels-idx1-ubyte"));
        int n = Math.min(images.count(), 2000);
        int size = images.data().length / images.count();
        List<byte[]> bodies = new ArrayList<>();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            StringBuilder s = new StringBuilder("{\"deadlineMs\": ").append(deadlineMs).append(", \"pixels\": [");
            for (int p = 0; p < size; p++) {
                s.append(p == 0 ? "" : ",").append(images.data()[i * size + p] & 0xff);
            }
            bodies.add(s.append("]}").toString().getBytes(StandardCharsets.US_ASCII));
            out[i] = labels.data()[i] & 0xff;
        }
        return new TestImages(bodies, out);
    }

    static Path find(Path dir, String name) {
        for (String candidate : List.of(name + ".gz", name)) {
            if (Files.exists(dir.resolve(candidate))) {
                return dir.resolve(candidate);
            }
        }
        throw new IllegalArgumentException(dir + ": no " + name + "(.gz); install dataset-fashion-mnist or give --data DIR");
    }

    int size() {
        return bodies.size();
    }

    TestImages first(int n) {
        int k = Math.min(n, size());
        return new TestImages(bodies.subList(0, k), Arrays.copyOf(labels, k));
    }
}

/** What went wrong on the client's side, when no HTTP status came back. */
enum Failure {
    /** The request or its connection timed out. */
    TIMEOUT,
    /** The connection was refused. */
    REFUSED,
    /** The server closed or reset the connection. */
    RESET,
    /** Anything else the HTTP client failed with. */
    OTHER,
    /** Not sent: --max-in-flight requests were already outstanding. */
    NOT_SENT,
    /** Sent, but neither answered nor failed by the end of the load (plus the timeout). */
    MISSING;

    static Failure of(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof HttpTimeoutException) {
                return TIMEOUT;
            }
            if (c instanceof ConnectException) {
                return REFUSED;
            }
            if (c instanceof EOFException) {
                return RESET;
            }
            String message = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
            // "received no bytes": the server closed a kept-alive connection before answering on it
            if (c instanceof IOException && (message.contains("reset") || message.contains("closed")
                    || message.contains("broken pipe") || message.contains("no bytes"))) {
                return RESET;
            }
        }
        return OTHER;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}

/**
 * One request as the client saw it, in {@link System#nanoTime()}: when it was due, when it was handed to
 * the client (sendAsync called, or an idle raw connection taken), when it was written (the jdk client began
 * writing it; the raw client handed its bytes to the kernel), when the answer (or failure) came back.
 */
record Sample(int image, long scheduled, long dispatched, long written, long done, int status, String body,
        Failure failure) {}

/** A sample read: both clocks, the lags, and the answer's exit and correctness. */
record Outcome(int status, Failure failure, double clientMs, double sendLagMs, double dispatchLagMs,
        double serverTotalMs, double serverQueueMs, int exit, boolean correct, String reason, String message) {

    static List<Outcome> of(List<Sample> samples, TestImages images) {
        List<Outcome> out = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            out.add(of(s, images.labels()[s.image()]));
        }
        return out;
    }

    static Outcome of(Sample s, int label) {
        double clientMs = s.done() > 0 ? (s.done() - s.scheduled()) / 1e6 : Double.NaN;
        double sendLag = s.written() > 0 ? (s.written() - s.scheduled()) / 1e6 : Double.NaN;
        double dispatchLag = s.dispatched() > 0 ? (s.dispatched() - s.scheduled()) / 1e6 : Double.NaN;
        if (s.failure() != null) {
            return new Outcome(0, s.failure(), clientMs, sendLag, dispatchLag, Double.NaN, Double.NaN, 0, false, null, null);
        }
        JsonNode body = null;
        try {
            body = ServeLoad.JSON.readTree(s.body());
        } catch (IOException | RuntimeException e) {
            // not JSON: the status still counts
        }
        double total = number(body, "totalMs");
        double queue = number(body, "queueMs");
        String reason = body != null && body.hasNonNull("reason") ? body.get("reason").asText() : null;
        if (s.status() == 200 && body != null && body.has("exit")) {
            return new Outcome(200, null, clientMs, sendLag, dispatchLag, total, queue, body.get("exit").asInt(),
                    body.get("label").asInt() == label, null, null);
        }
        String message = body != null && body.hasNonNull("error") ? body.get("error").asText() : null;
        return new Outcome(s.status(), null, clientMs, sendLag, dispatchLag, total, queue, 0, false, reason, message);
    }

    private static double number(JsonNode body, String field) {
        return body != null && body.hasNonNull(field) ? body.get(field).asDouble() : Double.NaN;
    }

    /**
     * Whether the server admitted it to its queue: answered 200, failed inside (5xx), or refused only after
     * queueing (a 503 that carries queueMs). A client failure is not counted either way.
     */
    boolean admitted() {
        return status == 200 || status >= 500 && status != 503 || status == 503 && !Double.isNaN(serverQueueMs);
    }
}

/**
 * The HTTP client side: a closed loop for calibration and warm-up, the open loop for the loads. Sending
 * never blocks the scheduler (the raw client's non-blocking write, or sendAsync), outstanding requests are
 * bounded, and a callback only stamps the time and keeps the body. The predict requests go through the
 * raw client unless --client jdk; the few other calls (readiness, metrics, the model) always use HttpClient.
 */
final class LoadClient implements AutoCloseable {

    private final URI base;
    private final Options o;
    private final ExecutorService executor;
    private final HttpClient http;
    private final RawClient raw; // null with --client jdk

    LoadClient(URI base, Options o) throws IOException {
        this.base = base;
        this.o = o;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(o.clientThreads(), r -> {
            Thread t = new Thread(r, "load-client-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .executor(executor).build();
        this.raw = o.client().equals("raw") ? new RawClient(base, o.maxInFlight(), o.timeoutSeconds()) : null;
    }

    void awaitReady(ServerProcess server) throws Exception {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < end) {
            if (!server.alive()) {
                throw new IllegalStateException("the server exited: " + server.log());
            }
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("readyz")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    if (raw != null) {
                        raw.connectAll();
                    }
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server was not ready within 5 minutes: " + server.log());
    }

    double metric(String name) throws Exception {
        String text = http.send(HttpRequest.newBuilder(base.resolve("metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1));
            }
        }
        throw new IllegalStateException("no metric " + name);
    }

    JsonNode getJson(String path) throws Exception {
        return ServeLoad.JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /**
     * Opens up to n keep-alive connections (n requests at once), so the load does not begin by connecting; the
     * raw client instead reopens any of its --max-in-flight connections the server has closed since.
     */
    void warmConnections(int n) throws InterruptedException {
        if (raw != null) {
            raw.connectAll();
            return;
        }
        List<CompletableFuture<HttpResponse<Void>>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(http.sendAsync(HttpRequest.newBuilder(base.resolve("healthz")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()));
        }
        for (CompletableFuture<HttpResponse<Void>> f : all) {
            try {
                f.join();
            } catch (CompletionException e) {
                // a warm-up that fails costs nothing; the load counts its own failures
            }
        }
    }

    private HttpRequest request(String query, StampedBody stamp) {
        return HttpRequest.newBuilder(base.resolve("v1/predict" + query))
                .timeout(Duration.ofMillis((long) (o.timeoutSeconds() * 1000)))
                .header("Content-Type", "application/json").POST(stamp).build();
    }

    /** {@code clients} clients for {@code seconds}, each sending its next request when the last is answered. */
    List<Sample> closedLoop(TestImages images, int clients, double seconds, String query) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        return closedLoop(images, clients, (i) -> System.nanoTime() < end, query);
    }

    /** One client, each image once. */
    List<Sample> closedLoopOnce(TestImages images, String query) throws Exception {
        return closedLoop(images, 1, (i) -> i < images.size(), query);
    }

    private List<Sample> closedLoop(TestImages images, int clients, Predicate<Integer> more, String query)
            throws Exception {
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        byte[][] requests = raw == null ? null : RawClient.requests(images, base, "v1/predict" + query);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int first = c;
                done.add(CompletableFuture.runAsync(() -> {
                    for (int i = first; more.test(i); i += clients) {
                        int k = i % images.size();
                        if (raw != null) {
                            try {
                                samples.add(raw.call(k, requests[k]));
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                            continue;
                        }
                        StampedBody stamp = new StampedBody(images.bodies().get(k));
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<String> r = http.send(request(query, stamp),
                                    HttpResponse.BodyHandlers.ofString());
                            samples.add(new Sample(k, sent, sent, stamp.at, System.nanoTime(), r.statusCode(), r.body(), null));
                        } catch (IOException e) {
                            samples.add(new Sample(k, sent, sent, stamp.at, System.nanoTime(), 0, null, Failure.of(e)));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }, pool));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
        } finally {
            pool.shutdown();
        }
        return new ArrayList<>(samples);
    }

    /**
     * Poisson arrivals at {@code rate} per second for the load's seconds (at most --max-requests), each
     * sent at its scheduled time whatever became of the earlier ones. The scheduler parks (it does not
     * spin: on a client of one CPU, spinning would take that CPU from the HTTP client's own threads).
     */
    List<Sample> openLoop(TestImages images, double rate) throws Exception {
        return openLoop(images, rate, o.seconds());
    }

    /** The same for {@code seconds}. */
    List<Sample> openLoop(TestImages images, double rate, double seconds) throws Exception {
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        Semaphore inFlight = new Semaphore(o.maxInFlight());
        byte[][] requests = raw == null ? null : RawClient.requests(images, base, "v1/predict");
        AtomicInteger returned = new AtomicInteger(); // the raw client's answers and failures
        Consumer<Sample> collect = sample -> {
            samples.add(sample);
            returned.incrementAndGet();
        };
        Random random = new Random(42);
        int sent = 0;
        long start = System.nanoTime() + 1_000_000; // the first arrival is scheduled 1 ms ahead
        double t = 0;
        for (int i = 0; i < o.maxRequests(); i++) {
            t += -Math.log(1 - random.nextDouble()) / rate;
            if (t >= seconds) {
                break;
            }
            long at = start + (long) (t * 1e9);
            for (long wait; (wait = at - System.nanoTime()) > 0;) {
                LockSupport.parkNanos(wait);
            }
            int k = i % images.size();
            long dispatched = System.nanoTime();
            if (raw != null) {
                if (raw.send(k, requests[k], at, dispatched, collect)) {
                    sent++;
                } else {
                    samples.add(new Sample(k, at, dispatched, 0, 0, 0, null, Failure.NOT_SENT));
                }
                continue;
            }
            if (!inFlight.tryAcquire()) {
                samples.add(new Sample(k, at, dispatched, 0, 0, 0, null, Failure.NOT_SENT));
                continue;
            }
            StampedBody stamp = new StampedBody(images.bodies().get(k));
            sent++;
            http.sendAsync(request("", stamp), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, failure) -> {
                        long done = System.nanoTime();
                        inFlight.release();
                        samples.add(failure != null ? new Sample(k, at, dispatched, stamp.at, done, 0, null, Failure.of(failure))
                                : new Sample(k, at, dispatched, stamp.at, done, r.statusCode(), r.body(), null));
                    });
        }
        // every request either comes back or times out within the timeout; a little more for the callbacks
        long end = System.nanoTime() + (long) ((o.timeoutSeconds() + 5) * 1e9);
        while ((raw != null ? returned.get() < sent : inFlight.availablePermits() < o.maxInFlight()) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        List<Sample> all = new ArrayList<>(samples);
        long back = all.stream().filter(s -> s.failure() != Failure.NOT_SENT).count();
        for (long missing = sent - back; missing > 0; missing--) {
            all.add(new Sample(0, start, 0, 0, 0, 0, null, Failure.MISSING));
        }
        return all;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        if (raw != null) {
            raw.close();
        }
    }

    /** A request body that notes when the HTTP client began sending it (after it has a connection). */
    static final class StampedBody implements HttpRequest.BodyPublisher {
        private final HttpRequest.BodyPublisher inner;
        volatile long at;

        StampedBody(byte[] bytes) {
            this.inner = HttpRequest.BodyPublishers.ofByteArray(bytes);
        }

        @Override
        public long contentLength() {
            return inner.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            if (at == 0) {
                at = System.nanoTime();
            }
            inner.subscribe(subscriber);
        }
    }
}

/**
 * The raw client (--client raw): HTTP/1.1 over java.nio and nothing else, so that little of the client stands
 * between a request's scheduled time and the kernel, or between the answer and its stamp. It keeps
 * --max-in-flight keep-alive connections open from before the load; the scheduler takes an idle one (none:
 * not sent) and writes the request, encoded before the load, itself: one non-blocking write on loopback. One
 * selector thread does everything else: reads and parses the answers, finishes a write the kernel did not
 * take whole, (re)connects, and times requests out. A connection whose request failed (reset, timed out) or
 * that the server closes is replaced at once, so a request never meets a connection the server has given up.
 */
final class RawClient implements AutoCloseable {

    /** One request: the sample's stamps so far, and who takes the sample. */
    private static final class Call {
        final int image;
        final long scheduled;
        final long dispatched;
        final ByteBuffer bytes;
        final Consumer<Sample> done;
        volatile long written;

        Call(int image, long scheduled, long dispatched, byte[] request, Consumer<Sample> done) {
            this.image = image;
            this.scheduled = scheduled;
            this.dispatched = dispatched;
            this.bytes = ByteBuffer.wrap(request);
            this.done = done;
        }
    }

    /** One keep-alive connection; its channel is replaced whenever it closes. */
    private static final class Slot {
        /** Set by whoever took the slot from the idle ones, cleared (once) by the selector thread. */
        final AtomicReference<Call> call = new AtomicReference<>();
        /** The channel once connected: the scheduler writes to it directly. */
        volatile SocketChannel ready;
        // the selector thread's alone
        SocketChannel channel; // connected or connecting; null: neither
        Call unsent; // waits for the connection
        ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        int headerEnd = -1;
        int status;
        int length;
        boolean close;
    }

    private final InetSocketAddress address;
    private final long timeoutNanos;
    private final List<Slot> slots = new ArrayList<>();
    private final LinkedBlockingQueue<Slot> idle = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Selector selector;
    private final Thread thread;
    private volatile boolean open = true;

    RawClient(URI base, int connections, double timeoutSeconds) throws IOException {
        this.address = new InetSocketAddress(base.getHost(), base.getPort());
        this.timeoutNanos = (long) (timeoutSeconds * 1e9);
        for (int i = 0; i < connections; i++) {
            Slot s = new Slot();
            slots.add(s);
            idle.add(s);
        }
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "raw-client");
        thread.setDaemon(true);
        thread.start();
    }

    /** Each image's whole request (request line, headers, body), encoded once before a load. */
    static byte[][] requests(TestImages images, URI base, String path) {
        byte[][] out = new byte[images.size()][];
        for (int k = 0; k < out.length; k++) {
            byte[] body = images.bodies().get(k);
            byte[] head = ("POST /" + path + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nContent-Type: "
                    + "application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            out[k] = Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, out[k], head.length, body.length);
        }
        return out;
    }

    /** Connects every connection that is not, and waits (at most 10 s) until all are. */
    void connectAll() throws InterruptedException {
        run(() -> slots.stream().filter(s -> s.channel == null).forEach(this::connect));
        long end = System.nanoTime() + 10_000_000_000L;
        while (slots.stream().anyMatch(s -> s.ready == null) && System.nanoTime() < end) {
            Thread.sleep(1);
        }
    }

    /** Hands the request to an idle connection without waiting; false when none is idle. */
    boolean send(int image, byte[] request, long scheduled, long dispatched, Consumer<Sample> done) {
        Slot s = idle.poll();
        if (s == null) {
            return false;
        }
        start(s, new Call(image, scheduled, dispatched, request, done));
        return true;
    }

    /** One request of a closed loop's client: the next idle connection (waiting for one), and the answer. */
    Sample call(int image, byte[] request) throws InterruptedException {
        long sent = System.nanoTime();
        Slot s = idle.poll(timeoutNanos + 5_000_000_000L, TimeUnit.NANOSECONDS);
        if (s == null) {
            throw new IllegalStateException("raw client: no connection became idle within the timeout");
        }
        CompletableFuture<Sample> answer = new CompletableFuture<>();
        start(s, new Call(image, sent, sent, request, answer::complete));
        return answer.join();
    }

    private void start(Slot s, Call c) {
        s.call.set(c); // before reading ready: a selector thread that closes the channel after that read sees c
        SocketChannel ch = s.ready;
        if (ch == null) {
            run(() -> send(s, c));
            return;
        }
        try {
            // stamped before the write, so the selector thread can never read an answer without it
            c.written = System.nanoTime();
            ch.write(c.bytes);
            if (c.bytes.hasRemaining()) {
                run(() -> send(s, c));
            }
        } catch (IOException e) {
            run(() -> {
                if (s.call.get() == c) {
                    if (s.channel == ch) {
                        replace(s);
                    }
                    finish(s, c, 0, null, Failure.RESET, System.nanoTime());
                }
            });
        }
    }

    /** Runs on the selector thread, soon. */
    private void run(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    private void loop() {
        long expiry = 0;
        while (open) {
            try {
                selector.select(100);
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                return;
            }
            for (Runnable task; (task = tasks.poll()) != null;) {
                task.run();
            }
            for (java.util.Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext();) {
                SelectionKey key = keys.next();
                keys.remove();
                Slot s = (Slot) key.attachment();
                if (!key.isValid() || key.channel() != s.channel) {
                    continue;
                }
                try {
                    if (key.isConnectable()) {
                        connected(s);
                        continue;
                    }
                    Call c = s.call.get();
                    if (key.isWritable() && c != null && c.bytes.hasRemaining()) {
                        write(s, c);
                    }
                    if (key.isValid() && key.isReadable()) {
                        read(s);
                    }
                } catch (RuntimeException e) { // a bug here must show, and must not stop every other connection
                    e.printStackTrace();
                    Call c = s.call.get();
                    replace(s);
                    finish(s, c, 0, null, Failure.OTHER, System.nanoTime());
                }
            }
            long now = System.nanoTime();
            if (now >= expiry) {
                for (Slot s : slots) {
                    Call c = s.call.get();
                    if (c != null && now - c.dispatched > timeoutNanos) {
                        replace(s);
                        finish(s, c, 0, null, Failure.TIMEOUT, now);
                    }
                }
                expiry = now + 100_000_000L;
            }
        }
    }

    /** Writes the call, or goes on writing it, once its connection is up. */
    private void send(Slot s, Call c) {
        if (s.call.get() != c) {
            return; // it failed meanwhile
        }
        if (s.ready == null) {
            s.unsent = c;
            if (s.channel == null) {
                connect(s);
            }
            return;
        }
        write(s, c);
    }

    private void write(Slot s, Call c) {
        try {
            c.written = System.nanoTime(); // restamped until the last bytes are handed over
            s.channel.write(c.bytes);
            s.channel.keyFor(selector).interestOps(c.bytes.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE
                    : SelectionKey.OP_READ);
        } catch (IOException e) {
            replace(s);
            finish(s, c, 0, null, Failure.RESET, System.nanoTime());
        }
    }

    private void connect(Slot s) {
        try {
            SocketChannel ch = SocketChannel.open();
            s.channel = ch;
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.register(selector, SelectionKey.OP_CONNECT, s);
            if (ch.connect(address)) {
                connected(s);
            }
        } catch (IOException e) {
            refused(s);
        }
    }

    private void connected(Slot s) {
        try {
            if (!s.channel.finishConnect()) {
                return;
            }
            s.channel.keyFor(selector).interestOps(SelectionKey.OP_READ);
        } catch (IOException e) {
            refused(s);
            return;
        }
        s.ready = s.channel;
        Call c = s.unsent;
        s.unsent = null;
        if (c != null) {
            send(s, c);
        }
    }

    /** No connection: a request waiting for it is refused; the next request on this slot connects again. */
    private void refused(Slot s) {
        Call c = s.unsent;
        close(s);
        if (c != null) {
            finish(s, c, 0, null, Failure.REFUSED, System.nanoTime());
        }
    }

    private void read(Slot s) {
        Call c = s.call.get();
        try {
            if (!s.in.hasRemaining()) {
                s.in = ByteBuffer.allocate(2 * s.in.capacity()).put(s.in.flip());
            }
            int n = s.channel.read(s.in);
            long now = System.nanoTime();
            if (n < 0 || c == null) { // closed by the server, or bytes nobody asked for: start afresh
                replace(s);
                if (c != null) {
                    finish(s, c, 0, null, Failure.RESET, now);
                }
            } else if (parsed(s)) {
                String body = new String(s.in.array(), s.headerEnd, s.length, StandardCharsets.UTF_8);
                if (s.close) {
                    replace(s);
                } else {
                    s.in.clear();
                    s.headerEnd = -1;
                }
                finish(s, c, s.status, body, null, now);
            }
        } catch (IOException e) {
            replace(s);
            finish(s, c, 0, null, e instanceof ProtocolException ? Failure.OTHER : Failure.RESET, System.nanoTime());
        }
    }

    /** Whether the whole answer is in: the status line and headers parsed once, then the Content-Length body. */
    private static boolean parsed(Slot s) throws ProtocolException {
        byte[] a = s.in.array();
        int end = s.in.position();
        if (s.headerEnd < 0) {
            int h = 0;
            while (h + 3 < end && !(a[h] == '\r' && a[h + 1] == '\n' && a[h + 2] == '\r' && a[h + 3] == '\n')) {
                h++;
            }
            if (h + 3 >= end) {
                return false;
            }
            String head = new String(a, 0, h, StandardCharsets.ISO_8859_1);
            String[] lines = head.split("\r\n");
            s.length = -1;
            s.close = false;
            try {
                s.status = Integer.parseInt(lines[0].substring(9, 12));
                for (String line : lines) {
                    int colon = line.indexOf(':');
                    String name = colon < 0 ? "" : line.substring(0, colon).trim();
                    if (name.equalsIgnoreCase("Content-Length")) {
                        s.length = Integer.parseInt(line.substring(colon + 1).trim());
                    } else if (name.equalsIgnoreCase("Connection")) {
                        s.close = line.substring(colon + 1).toLowerCase(Locale.ROOT).contains("close");
                    }
                }
            } catch (RuntimeException e) {
                throw new ProtocolException("not an HTTP/1.1 answer: " + head);
            }
            if (s.length < 0) {
                throw new ProtocolException("an answer without Content-Length: " + head);
            }
            s.headerEnd = h + 4;
        }
        return end >= s.headerEnd + s.length;
    }

    /** Closes the slot's connection and opens a new one. */
    private void replace(Slot s) {
        close(s);
        connect(s);
    }

    private void close(Slot s) {
        s.ready = null;
        s.unsent = null;
        s.in.clear();
        s.headerEnd = -1;
        if (s.channel != null) {
            try {
                s.channel.close();
            } catch (IOException e) {
                // closing is all that was wanted
            }
            s.channel = null;
        }
    }

    /** Ends the call if it is still the slot's: the slot goes back to the idle ones, the sample to its taker. */
    private void finish(Slot s, Call c, int status, String body, Failure failure, long now) {
        if (c != null && s.call.compareAndSet(c, null)) {
            idle.add(s);
            c.done.accept(new Sample(c.image, c.scheduled, c.dispatched, c.written, now, status, body, failure));
        }
    }

    @Override
    public void close() {
        open = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Slot s : slots) {
            close(s);
        }
        try {
            selector.close();
        } catch (IOException e) {
            // going away
        }
    }
}

/** One load's numbers, as a JSON-ready map. */
final class Summary {

    private Summary() {}

    static Map<String, Object> row(String mode, double load, double rate, Options o, List<Outcome> outcomes) {
        double d = o.deadlineMs();
        List<Outcome> ok = outcomes.stream().filter(x -> x.status() == 200).toList();
        List<Outcome> refused = outcomes.stream().filter(x -> x.status() == 503).toList();
        List<Outcome> failed = outcomes.stream().filter(x -> x.failure() != null).toList();
        long admitted = outcomes.stream().filter(Outcome::admitted).count();
        long sent = outcomes.stream().filter(x -> x.failure() != Failure.NOT_SENT).count();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("mode", mode);
        row.put("load", load);
        row.put("offeredPerSecond", round(rate));
        row.put("requests", outcomes.size());
        row.put("sent", sent);
        row.put("answered200", ok.size());
        row.put("admitted", admitted);
        row.put("goodputPerSecond", round(ok.stream().filter(x -> x.clientMs() <= d).count() / o.seconds()));
        row.put("admittedWithinDeadlinePlus1msShare", share(ok.stream().filter(x -> x.clientMs() <= d + 1).count(), admitted));
        row.put("okWithinDeadlinePlus1msShare", share(ok.stream().filter(x -> x.clientMs() <= d + 1).count(), ok.size()));
        row.put("okWithinDeadlinePlus1msShareServer",
                share(ok.stream().filter(x -> x.serverTotalMs() <= d + 1).count(), ok.size()));
        double[] client = sorted(ok, Outcome::clientMs);
        double[] server = sorted(ok, Outcome::serverTotalMs);
        row.put("p50Ms", round(quantile(client, 0.5)));
        row.put("p99Ms", round(quantile(client, 0.99)));
        row.put("serverP50Ms", round(quantile(server, 0.5)));
        row.put("serverP99Ms", round(quantile(server, 0.99)));
        row.put("serverQueueP99Ms", round(quantile(sorted(ok, Outcome::serverQueueMs), 0.99)));
        // what neither clock's own part explains: the request's way to Jetty and the answer's way back
        double[] outside = sorted(ok, x -> x.clientMs() - x.sendLagMs() - x.serverTotalMs());
        row.put("outsideServerP50Ms", round(quantile(outside, 0.5)));
        row.put("outsideServerP90Ms", round(quantile(outside, 0.9)));
        row.put("outsideServerP99Ms", round(quantile(outside, 0.99)));
        row.put("p99OvershootMs", round(Math.max(0, quantile(client, 0.99) - d)));
        row.put("refusedP99Ms", round(quantile(sorted(refused, Outcome::clientMs), 0.99)));
        row.put("refusedServerP99Ms", round(quantile(sorted(refused, Outcome::serverTotalMs), 0.99)));
        List<Outcome> sentOnes = outcomes.stream().filter(x -> x.failure() != Failure.NOT_SENT
                && x.failure() != Failure.MISSING).toList();
        row.put("sendLagP50Ms", round(quantile(sorted(sentOnes, Outcome::sendLagMs), 0.5)));
        row.put("sendLagP99Ms", round(quantile(sorted(sentOnes, Outcome::sendLagMs), 0.99)));
        row.put("dispatchLagP99Ms", round(quantile(sorted(sentOnes, Outcome::dispatchLagMs), 0.99)));
        row.put("share503", round(refused.size() / (double) Math.max(1, sent)));
        Map<String, Long> reasons = new LinkedHashMap<>();
        for (Outcome r : refused) {
            String reason = (r.reason() == null ? "?" : r.reason()) + (Double.isNaN(r.serverQueueMs()) ? "" : " (after queueing)");
            reasons.merge(reason, 1L, Long::sum);
        }
        row.put("refusedByReason", reasons);
        // the server's own words, five per reason spread over the load (first, quartiles, last): why it refused
        Map<String, List<String>> said = new LinkedHashMap<>();
        for (Outcome r : refused) {
            said.computeIfAbsent((r.reason() == null ? "?" : r.reason()) + (Double.isNaN(r.serverQueueMs()) ? ""
                    : " (after queueing)"), k -> new ArrayList<>()).add(r.message());
        }
        Map<String, List<String>> samples = new LinkedHashMap<>();
        said.forEach((reason, messages) -> samples.put(reason, IntStream.of(0, 1, 2, 3, 4)
                .mapToObj(q -> messages.get(q * (messages.size() - 1) / 4)).distinct().toList()));
        row.put("refusalSamples", samples);
        row.put("count400", outcomes.stream().filter(x -> x.status() == 400).count());
        Map<String, Long> others = new LinkedHashMap<>();
        outcomes.stream().filter(x -> x.failure() == null && x.status() != 200 && x.status() != 400 && x.status() != 503)
                .forEach(x -> others.merge(Integer.toString(x.status()), 1L, Long::sum));
        row.put("otherStatuses", others.values().stream().mapToLong(Long::longValue).sum());
        row.put("otherStatusesByCode", others);
        Map<String, Long> kinds = new LinkedHashMap<>();
        Map<Failure, Long> byKind = new EnumMap<>(Failure.class);
        failed.forEach(x -> byKind.merge(x.failure(), 1L, Long::sum));
        byKind.forEach((k, v) -> kinds.put(k.label(), v));
        row.put("clientFailures", (long) failed.size());
        row.put("clientFailuresByKind", kinds);
        row.put("meanExit", round(ok.stream().mapToInt(Outcome::exit).average().orElse(Double.NaN)));
        row.put("accuracy", ok.isEmpty() ? null : round(ok.stream().filter(Outcome::correct).count() / (double) ok.size()));
        return row;
    }

    static double[] sorted(List<Outcome> outcomes, java.util.function.ToDoubleFunction<Outcome> value) {
        return outcomes.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).sorted().toArray();
    }

    static Double share(long part, long whole) {
        return whole == 0 ? null : round(part / (double) whole);
    }

    static double quantile(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
    }
}

/** The goals (#15), judged from the rows: each with its numbers and whether it is met. */
final class Goals {

    private Goals() {}

    static List<Map<String, Object>> judge(Map<String, Object> result, List<Map<String, Object>> rows, double d) {
        List<Map<String, Object>> goals = new ArrayList<>();
        List<Map<String, Object>> anytime = rows.stream().filter(r -> r.get("mode").equals("anytime")).toList();
        List<String> within = new ArrayList<>();
        boolean allWithin = !anytime.isEmpty();
        for (Map<String, Object> r : anytime) {
            Double share = (Double) r.get("admittedWithinDeadlinePlus1msShare");
            allWithin &= share != null && share >= 0.99;
            within.add(r.get("load") + "C: " + pct(share) + " (server clock " + pct((Double) r.get("okWithinDeadlinePlus1msShareServer"))
                    + " of the 200s)");
        }
        goals.add(goal("anytime: >= 99 % of admitted requests answered within D + 1 ms (client clock) at every load",
                allWithin, String.join("; ", within)));
        long other = anytime.stream().mapToLong(r -> (Long) r.get("otherStatuses")).sum();
        long failures = anytime.stream().mapToLong(r -> (Long) r.get("clientFailures")).sum();
        goals.add(goal("anytime: no status other than 200, 400 or 503", other == 0,
                other + " other statuses; client-side failures (no status at all): " + failures));
        Map<String, Object> full4 = at(rows, "full", 4);
        Map<String, Object> any4 = at(rows, "anytime", 4);
        if (full4 != null && any4 != null) {
            double g = (Double) any4.get("goodputPerSecond");
            double f = (Double) full4.get("goodputPerSecond");
            goals.add(goal("at 4C: anytime goodput >= 3x the full network's", g >= 3 * f,
                    String.format(Locale.ROOT, "%.0f/s vs %.0f/s", g, f)));
            @SuppressWarnings("unchecked")
            Map<String, Object> first = (Map<String, Object>) result.get("firstExit");
            Double accuracy = (Double) any4.get("accuracy");
            if (first != null) {
                double firstAccuracy = (Double) first.get("accuracy");
                goals.add(goal("at 4C: anytime accuracy above the first exit's", accuracy != null && accuracy > firstAccuracy,
                        pct(accuracy) + " vs " + pct(firstAccuracy) + " (the first exit alone, same " + first.get("images")
                                + " images)"));
            }
        }
        return goals;
    }

    private static Map<String, Object> at(List<Map<String, Object>> rows, String mode, double load) {
        return rows.stream().filter(r -> r.get("mode").equals(mode) && (Double) r.get("load") == load).findFirst().orElse(null);
    }

    private static Map<String, Object> goal(String what, boolean met, String numbers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("goal", what);
        m.put("met", met);
        m.put("numbers", numbers);
        return m;
    }

    static String pct(Double share) {
        return share == null ? "-" : String.format(Locale.ROOT, "%.2f %%", 100 * share);
    }
}

/** The markdown tables and the plots. */
final class Report {

    private Report() {}

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> result, List<Map<String, Object>> rows) {
        Map<String, Object> pin = (Map<String, Object>) result.get("pinning");
        Map<String, Object> client = (Map<String, Object>) result.get("client");
        Map<String, Object> servers = (Map<String, Object>) result.get("servers");
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "# serve-load%n%nCommand: `%s`%n%n", result.get("command")));
        s.append(String.format(Locale.ROOT, "- **Pinning:** %s. The kernel's CPU lists: load generator %s; ", pin.get("note"),
                client.get("cpusAllowed")));
        List<String> serverCpus = new ArrayList<>();
        servers.forEach((mode, about) -> serverCpus.add(mode + " server " + ((Map<String, Object>) about).get("cpusAllowed")));
        s.append(String.join(", ", serverCpus)).append(" (machine: CPUs ").append(result.get("machineCpus")).append(").\n");
        servers.forEach((mode, about) -> s.append("- **").append(mode).append(" server:** `")
                .append(((Map<String, Object>) about).get("banner")).append("`\n"));
        String kind = "raw".equals(client.get("kind"))
                ? "raw HTTP/1.1 client (java.nio, one selector thread; " + client.get("maxInFlight")
                        + " keep-alive connections opened before the loads and kept)"
                : "java.net.http.HttpClient (" + client.get("executorThreads") + " executor threads, "
                        + client.get("warmConnections") + " connections opened before each load)";
        s.append(String.format(Locale.ROOT, "- **Load generator:** %s, at most %s requests in flight, timeout %s s; "
                + "somaxconn %s.%n", kind, client.get("maxInFlight"), client.get("timeoutSeconds"), result.get("somaxconn")));
        if (Boolean.TRUE.equals(result.get("capacityGiven"))) {
            s.append(String.format(Locale.ROOT, "- **C** = %.1f requests/s, given with --capacity (not measured); %s s per "
                    + "load.%n", (Double) result.get("capacityPerSecond"), result.get("seconds")));
        } else {
            s.append(String.format(Locale.ROOT, "- **C** = %.1f requests/s (full network, final exit within %s ms, the best "
                    + "closed loop: %s clients for %s workers; by clients: %s; under the same pinning); %s s per load.%n",
                    (Double) result.get("capacityPerSecond"), result.get("deadlineMs"), result.get("calibrationClients"),
                    result.get("workers"), result.get("calibrationByClients"), result.get("seconds")));
        }
        s.append("- **Clocks:** *client* = from the request's scheduled send time to the answer's arrival (open loop: a late "
                + "send counts); *server* = the answer's `totalMs`, from Jetty starting to parse the request to the answer. "
                + "*Send lag* = when the client wrote the request (raw client: handed its bytes to the kernel; jdk: began "
                + "writing it) minus its scheduled time. *Outside the server* = client - send lag - server: the request's way "
                + "from the client's write to Jetty, and the answer's way back. Goodput: 200s within D "
                + "on the client's clock, per second. *Admitted*: 200s, 5xx, and 503s given after queueing.\n\n");

        s.append("| mode | load | offered/s | goodput/s | admitted within D+1 ms | 200s within D+1 ms (client) | "
                + "200s within D+1 ms (server) | 503 | other statuses | client failures | mean exit | accuracy |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %sC | %.0f | %.0f | %s | %s | %s | %.1f %% | %d | %d | %.2f | %s |%n",
                    r.get("mode"), r.get("load"), (Double) r.get("offeredPerSecond"), (Double) r.get("goodputPerSecond"),
                    Goals.pct((Double) r.get("admittedWithinDeadlinePlus1msShare")),
                    Goals.pct((Double) r.get("okWithinDeadlinePlus1msShare")),
                    Goals.pct((Double) r.get("okWithinDeadlinePlus1msShareServer")), 100 * (Double) r.get("share503"),
                    (Long) r.get("otherStatuses"), (Long) r.get("clientFailures"), (Double) r.get("meanExit"),
                    Goals.pct((Double) r.get("accuracy"))));
        }
        s.append("\nWhere the time went (ms; p50/p99 over the 200s unless said):\n\n");
        s.append("| mode | load | client p50 | client p99 | server p50 | server p99 | server queue p99 | outside the "
                + "server p50 / p90 / p99 | 503s p99 client / server | send lag p50 / p99 | 503 reasons | client failures by kind |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (Map<String, Object> r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %sC | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f / %.2f / %.2f | %.2f / %.2f | %.2f / %.2f | %s | %s |%n",
                    r.get("mode"), r.get("load"), (Double) r.get("p50Ms"), (Double) r.get("p99Ms"), (Double) r.get("serverP50Ms"),
                    (Double) r.get("serverP99Ms"), (Double) r.get("serverQueueP99Ms"), (Double) r.get("outsideServerP50Ms"),
                    (Double) r.get("outsideServerP90Ms"), (Double) r.get("outsideServerP99Ms"), (Double) r.get("refusedP99Ms"),
                    (Double) r.get("refusedServerP99Ms"), (Double) r.get("sendLagP50Ms"), (Double) r.get("sendLagP99Ms"),
                    counts((Map<String, Long>) r.get("refusedByReason")), counts((Map<String, Long>) r.get("clientFailuresByKind"))));
        }
        Map<String, Object> first = (Map<String, Object>) result.get("firstExit");
        if (first != null) {
            s.append(String.format(Locale.ROOT, "%nThe first exit alone (budgetMacs %s, closed loop, the first %s images): "
                    + "accuracy %s.%n", first.get("budgetMacs"), first.get("images"), Goals.pct((Double) first.get("accuracy"))));
        }
        s.append("\n## The issue's goals\n\n");
        for (Map<String, Object> g : (List<Map<String, Object>>) result.get("goals")) {
            s.append("- ").append((Boolean) g.get("met") ? "**met**" : "**not met**").append(": ").append(g.get("goal"))
                    .append(" (").append(g.get("numbers")).append(")\n");
        }
        return s.toString();
    }

    private static String counts(Map<String, Long> counts) {
        return counts.isEmpty() ? "-" : counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    static void plot(List<Map<String, Object>> rows, Path out) throws IOException {
        XYChart goodput = chart("Goodput (200s within the deadline)", "requests/s", false);
        XYChart accuracy = chart("Accuracy of the 200 answers", "accuracy (%)", false);
        XYChart latency = chart("p99 latency of the 200s", "ms", true);
        for (String mode : List.of("full", "anytime")) {
            List<Map<String, Object>> mine = rows.stream().filter(r -> r.get("mode").equals(mode)).toList();
            if (mine.isEmpty()) {
                continue;
            }
            double[] x = mine.stream().mapToDouble(r -> (Double) r.get("load")).toArray();
            String name = mode.equals("full") ? "full network" : "anytime";
            goodput.addSeries(name, x, mine.stream().mapToDouble(r -> (Double) r.get("goodputPerSecond")).toArray())
                    .setMarker(SeriesMarkers.CIRCLE);
            accuracy.addSeries(name, x, mine.stream().mapToDouble(r -> r.get("accuracy") == null ? Double.NaN
                    : 100 * (Double) r.get("accuracy")).toArray()).setMarker(SeriesMarkers.CIRCLE);
            latency.addSeries(name + " (client)", x, positive(mine, "p99Ms")).setMarker(SeriesMarkers.CIRCLE);
            latency.addSeries(name + " (server)", x, positive(mine, "serverP99Ms")).setMarker(SeriesMarkers.SQUARE);
        }
        BitmapEncoder.saveBitmap(List.of(goodput, accuracy, latency), 1, 3, out + ".png", BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(goodput, out + "-goodput.svg", VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        VectorGraphicsEncoder.saveVectorGraphic(accuracy, out + "-accuracy.svg", VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        VectorGraphicsEncoder.saveVectorGraphic(latency, out + "-latency.svg", VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }

    /** A logarithmic axis takes no zero or NaN: those points are left at a tenth of a millisecond. */
    private static double[] positive(List<Map<String, Object>> rows, String key) {
        return rows.stream().mapToDouble(r -> {
            double v = (Double) r.get(key);
            return Double.isFinite(v) && v > 0 ? v : 0.1;
        }).toArray();
    }

    static XYChart chart(String title, String y, boolean logY) {
        XYChart chart = new XYChartBuilder().width(560).height(400).title(title).xAxisTitle("offered load (x C)")
                .yAxisTitle(y).build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
        return chart;
    }
}
