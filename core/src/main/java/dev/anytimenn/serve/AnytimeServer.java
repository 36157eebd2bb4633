package dev.anytimenn.serve;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code anytime serve}: an HTTP server (Jetty's core API) whose answers refine until each request's
 * deadline. Requests wait in a bounded queue for W inference workers ({@link InferenceWorkers}); their
 * deadline counts from arrival, so under load they leave at earlier exits, and a request that cannot
 * reach even the first exit, or finds the queue full, is answered 503 at once. Jetty's own threads and
 * accept queue are kept small ({@link HttpLimits}) so that overload reaches that queue instead of
 * waiting in front of it, and no Jetty thread waits for an inference.
 *
 * <p>{@link #stop()} is graceful: it stops accepting, lets every admitted request finish, then ends the
 * workers and closes the model.
 */
public final class AnytimeServer implements AutoCloseable {

    /** How long a graceful stop waits for admitted requests. */
    static final long STOP_TIMEOUT_MS = 30_000;
    /** Jetty's threads are a fixed pool; this only matters if Jetty ever shrinks it. */
    static final int HTTP_THREAD_IDLE_MS = 60_000;

    private final ServedModel model;
    private final ServeConfig config;
    private final ServeMetrics metrics;
    private final InferenceWorkers workers;
    private final ApiHandler api;
    private final Server server;
    private final ServerConnector connector;
    private boolean stopped;
    private volatile int port = -1;

    public AnytimeServer(ServedModel model, ServeConfig config) {
        this.model = model;
        this.config = config;
        this.metrics = new ServeMetrics(model.exits().size());
        this.workers = new InferenceWorkers(model, config.workers(), config.queue(), config.largestBatch());
        metrics.gauge("anytime.queue.depth", "requests waiting for a worker", workers::queued);
        metrics.gauge("anytime.workers.alive", "inference threads running", workers::alive);
        this.api = new ApiHandler(model, config, workers, metrics);

        HttpLimits limits = config.http();
        // a fixed pool, all started up front: no thread is created under load, and none idles away
        QueuedThreadPool threads = new QueuedThreadPool(limits.threads(), limits.threads(), HTTP_THREAD_IDLE_MS);
        threads.setReservedThreads(0); // so few threads all take jobs from the queue; none sits reserved
        threads.setName("anytime-http");
        threads.setDaemon(true);
        metrics.gauge("anytime.http.threads.busy", "Jetty threads at work (accepting, selecting, handling)",
                threads::getBusyThreads);
        metrics.gauge("anytime.http.jobs.queued", "connections with input waiting for a Jetty thread",
                threads::getQueueSize);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, HttpLimits.ACCEPTORS, HttpLimits.SELECTORS, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setAcceptQueueSize(limits.acceptQueue());
        server.addConnector(connector);
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowCauses(false);
        errors.setShowMessageInTitle(false);
        server.setErrorHandler(errors);
        server.setHandler(new GracefulHandler(api));
        server.setStopTimeout(STOP_TIMEOUT_MS);
    }

    /** Starts the workers (they warm up in the background: see {@link #awaitReady}) and the listener. */
    public void start() throws Exception {
        workers.start();
        server.start();
        port = connector.getLocalPort();
    }

    /** Waits until every worker has warmed up; false on timeout. */
    public boolean awaitReady(long timeout, TimeUnit unit) throws InterruptedException {
        return workers.awaitReady(timeout, unit);
    }

    /** Where it listens, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + port + "/");
    }

    /** The port it listens on (or listened on, once stopped). */
    public int port() {
        return port;
    }

    /** Inference threads still running (all of them, unless one failed to start). */
    public int workersAlive() {
        return workers.alive();
    }

    public ServeConfig config() {
        return config;
    }

    /** Stops accepting, finishes admitted requests, ends the workers and closes the model. Idempotent. */
    public synchronized void stop() throws Exception {
        if (stopped) {
            return;
        }
        stopped = true;
        api.shuttingDown();
        try {
            server.stop(); // graceful: closes the listener, then waits for the requests in flight
        } finally {
            workers.stop(STOP_TIMEOUT_MS);
            model.close();
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
