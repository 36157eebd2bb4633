package dev.anytimenn.cli;

import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.InferenceEngine;
import dev.anytimenn.serve.AnytimeServer;
import dev.anytimenn.serve.HttpLimits;
import dev.anytimenn.serve.OpenedModel;
import dev.anytimenn.serve.ServeConfig;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a model over HTTP: answers refine until each request's deadline, counted from its "
                + "arrival, so under load they come from earlier exits instead of coming late.",
            "Endpoints: POST /v1/predict (?stream=true for one Server-Sent Event per exit), GET / (a web page), "
                + "/v1/model, /healthz, /readyz, /metrics. SIGTERM or Ctrl-C stops it gracefully.",
            "Uses 1 engine thread per worker unless --threads is given."})
final class ServeCommand implements Callable<Integer> {

    /** The repository's shipped model, relative to the repository root. */
    static final Path SHIPPED_MODEL = Path.of("models", "fashion-mnist");

    @Mixin
    CommonOptions common;

    @Mixin
    EngineOptions engineOptions;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "A model file (or a folder holding "
            + "one), a run folder or a checkpoint (default: the repository's models/fashion-mnist/).")
    Path modelPath;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on; 0 picks a free one (default: "
            + "${DEFAULT-VALUE}).")
    int port = ServeConfig.DEFAULT_PORT;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default: ${DEFAULT-VALUE}; "
            + "0.0.0.0 for every interface).")
    String host = "127.0.0.1";

    @Option(names = "--workers", paramLabel = "W", description = "Inference threads (default: cores / --threads).")
    Integer workers;

    @Option(names = "--queue", paramLabel = "Q", description = "Requests that may wait for a worker; past that, 503 "
            + "at once (default: ${DEFAULT-VALUE}).")
    int queue = ServeConfig.DEFAULT_QUEUE;

    @Option(names = "--max-batch", paramLabel = "B", description = "Waiting requests run together, at most B "
            + "(default: ${DEFAULT-VALUE}).")
    int maxBatch = ServeConfig.DEFAULT_LARGEST_BATCH;

    @Option(names = "--http-threads", paramLabel = "N", description = "Jetty's threads: 1 acceptor, 1 selector, the "
            + "rest read, check and admit requests (never waiting for an inference). Few, so that overload reaches the "
            + "queue and is answered 503 there instead of waiting in Jetty (default: W + " + (HttpLimits.ACCEPTORS
            + HttpLimits.SELECTORS + HttpLimits.SLACK_THREADS) + ", at least " + HttpLimits.MIN_THREADS + ").")
    Integer httpThreads;

    @Option(names = "--accept-queue", paramLabel = "N", description = "New connections the kernel holds until Jetty "
            + "accepts them (the listen backlog; Linux caps it at net.core.somaxconn) (default: ${DEFAULT-VALUE}).")
    int acceptQueue = HttpLimits.DEFAULT_ACCEPT_QUEUE;

    @Option(names = "--default-deadline-ms", paramLabel = "D", description = "Deadline of a request that gives none "
            + "(default: ${DEFAULT-VALUE}).")
    double defaultDeadlineMs = ServeConfig.DEFAULT_DEADLINE_MS;

    @Option(names = "--reserve-ms", paramLabel = "MS", description = "Kept back from each deadline (at most half "
            + "of it) for handing the answer over, writing it and the network: a request's work ends this long before "
            + "its deadline (default: ${DEFAULT-VALUE}).")
    double reserveMs = ServeConfig.DEFAULT_RESERVE_MS;

    /** How deadlines are kept. */
    enum Mode { anytime, full }

    @Option(names = "--mode", paramLabel = "MODE", description = "anytime: stop at the deadline; full: every request "
            + "runs to the final exit, as a conventional server would (for comparison) (default: ${DEFAULT-VALUE}).")
    Mode mode = Mode.anytime;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!spec.commandLine().getParseResult().hasMatchedOption("--threads")) {
            common.threads = 1; // single images are latency-bound: see PredictCommand
        }
        // the server's own options are checked before the engine loads (it logs as it loads)
        int cores = Runtime.getRuntime().availableProcessors();
        int w = workers != null ? workers : Math.max(1, cores / Math.max(1, common.threads));
        HttpLimits http = new HttpLimits(httpThreads != null ? httpThreads : HttpLimits.defaultThreads(w), acceptQueue);
        ServeConfig config = new ServeConfig(host, port, w, queue, maxBatch, defaultDeadlineMs, reserveMs,
                ServeConfig.MAX_DEADLINE_MS, ServeConfig.MAX_BODY_BYTES, ServeConfig.MAX_IMAGE_PIXELS,
                mode == Mode.full, http);
        common.apply();
        Path path = modelPath != null ? modelPath : shippedModel();
        InferenceEngine engine = engineOptions.engine(common.threads); // a bad name fails before the model loads
        AnytimeModel model = AnytimeModel.open(path, common.device());
        AnytimeServer server;
        try {
            server = new AnytimeServer(new OpenedModel(model, engine), config);
            server.start();
        } catch (Exception | Error e) {
            model.close();
            if (e.getCause() instanceof java.net.BindException bind) {
                throw new IllegalArgumentException("--port " + port + ": cannot listen on " + host + ":" + port + " ("
                        + bind.getMessage() + ")");
            }
            throw e;
        }
        CountDownLatch stop = new CountDownLatch(1);
        for (String signal : List.of("TERM", "INT")) {
            Signal.handle(new Signal(signal), s -> stop.countDown());
        }
        System.out.println("anytime serve: " + server.uri() + " (model " + path + ", " + w + " worker" + (w == 1 ? "" : "s")
                + " x " + common.threads + " thread" + (common.threads == 1 ? "" : "s") + ", queue " + queue + ", mode "
                + mode + ", " + http.threads() + " http threads, accept queue " + http.acceptQueue() + ")");
        System.out.flush();
        if (server.awaitReady(10, TimeUnit.MINUTES)) {
            System.out.println("ready: " + server.uri() + "readyz");
            System.out.flush();
        }
        stop.await();
        System.out.println("stopping: finishing the requests in flight ...");
        System.out.flush();
        server.stop();
        System.out.println("stopped");
        return 0;
    }

    /**
     * The repository's {@code models/fashion-mnist/}: under {@code -Danytimenn.home} (the launcher sets
     * it to the repository), else found from where this code runs ({@code core/target/anytime-nn.jar}
     * or {@code core/target/classes}, two levels below the repository).
     */
    static Path shippedModel() {
        List<Path> tried = new ArrayList<>();
        String home = System.getProperty("anytimenn.home");
        if (home != null) {
            tried.add(Path.of(home).resolve(SHIPPED_MODEL));
        }
        try {
            Path code = Path.of(ServeCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = code.getParent(); dir != null && tried.size() < 5; dir = dir.getParent()) {
                tried.add(dir.resolve(SHIPPED_MODEL));
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code location (an unusual class loader): only the home property is tried
        }
        for (Path candidate : tried) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("no MODEL given and the repository's " + SHIPPED_MODEL + "/ was not found "
                + "(looked in " + tried + "); give a model file, a folder holding one, or a run folder");
    }
}
