package dev.anytimenn.serve;

/**
 * How the server runs.
 *
 * @param host the address to listen on
 * @param port the port (0: any free one)
 * @param workers inference threads, each with its own predictor
 * @param queue requests that may wait for a worker; one more is answered 503 at once
 * @param largestBatch at most this many waiting requests run together as one batch
 * @param defaultDeadlineMs the deadline of a request that gives none
 * @param reserveMs kept back from each deadline (at most half of it) for what follows the model: handing the
 *     answer over, writing it, the network; the work of a request must end this long before its deadline
 * @param maxDeadlineMs the longest deadline a request may ask for
 * @param maxBodyBytes the largest request body
 * @param maxImagePixels the largest image (width x height) decoded
 * @param fullNetwork every request runs to the final exit whatever its deadline (a conventional
 *     server, for comparison); its deadline still counts for the answer's timings
 * @param http Jetty's threads and accept queue, kept small so that overload reaches the queue above
 */
public record ServeConfig(String host, int port, int workers, int queue, int largestBatch, double defaultDeadlineMs,
        double reserveMs, double maxDeadlineMs, int maxBodyBytes, long maxImagePixels, boolean fullNetwork, HttpLimits http) {

    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_QUEUE = 64;
    public static final int DEFAULT_LARGEST_BATCH = 16;
    public static final double DEFAULT_DEADLINE_MS = 100;
    public static final double DEFAULT_RESERVE_MS = 1;
    public static final double MAX_DEADLINE_MS = 60_000;
    public static final int MAX_BODY_BYTES = 4 << 20;
    public static final long MAX_IMAGE_PIXELS = 16L << 20;

    public ServeConfig {
        require(port >= 0 && port <= 65535, "--port must be in 0..65535, got " + port);
        require(workers >= 1, "--workers must be at least 1, got " + workers);
        require(queue >= 1, "--queue must be at least 1, got " + queue);
        require(largestBatch >= 1, "--max-batch must be at least 1, got " + largestBatch);
        require(maxDeadlineMs > 0 && Double.isFinite(maxDeadlineMs), "the longest deadline must be positive");
        require(reserveMs >= 0 && reserveMs <= maxDeadlineMs, "--reserve-ms must be in [0, " + maxDeadlineMs + "], got "
                + reserveMs);
        require(defaultDeadlineMs > 0 && defaultDeadlineMs <= maxDeadlineMs,
                "--default-deadline-ms must be in (0, " + maxDeadlineMs + "], got " + defaultDeadlineMs);
        require(maxBodyBytes >= 1024, "the body limit must be at least 1024 bytes");
        require(maxImagePixels >= 1, "the image pixel limit must be positive");
        require(http != null, "the HTTP limits must be given");
    }

    /** The defaults, with this many workers, on localhost. */
    public static ServeConfig defaults(int workers) {
        return new ServeConfig("127.0.0.1", DEFAULT_PORT, workers, DEFAULT_QUEUE, DEFAULT_LARGEST_BATCH,
                DEFAULT_DEADLINE_MS, DEFAULT_RESERVE_MS, MAX_DEADLINE_MS, MAX_BODY_BYTES, MAX_IMAGE_PIXELS, false,
                HttpLimits.defaults(workers));
    }

    /** The time a request with this deadline may spend before its answer is handed over: less the reserve. */
    public double workMs(double deadlineMs) {
        return deadlineMs - Math.min(reserveMs, deadlineMs / 2);
    }

    public ServeConfig withPort(int p) {
        return new ServeConfig(host, p, workers, queue, largestBatch, defaultDeadlineMs, reserveMs, maxDeadlineMs, maxBodyBytes,
                maxImagePixels, fullNetwork, http);
    }

    public ServeConfig withQueue(int q, int batch) {
        return new ServeConfig(host, port, workers, q, batch, defaultDeadlineMs, reserveMs, maxDeadlineMs, maxBodyBytes,
                maxImagePixels, fullNetwork, http);
    }

    public ServeConfig withLimits(int bodyBytes, long imagePixels) {
        return new ServeConfig(host, port, workers, queue, largestBatch, defaultDeadlineMs, reserveMs, maxDeadlineMs, bodyBytes,
                imagePixels, fullNetwork, http);
    }

    public ServeConfig withDefaultDeadline(double ms) {
        return new ServeConfig(host, port, workers, queue, largestBatch, ms, reserveMs, maxDeadlineMs, maxBodyBytes,
                maxImagePixels, fullNetwork, http);
    }

    public ServeConfig withReserve(double ms) {
        return new ServeConfig(host, port, workers, queue, largestBatch, defaultDeadlineMs, ms, maxDeadlineMs, maxBodyBytes,
                maxImagePixels, fullNetwork, http);
    }

    public ServeConfig withFullNetwork(boolean full) {
        return new ServeConfig(host, port, workers, queue, largestBatch, defaultDeadlineMs, reserveMs, maxDeadlineMs, maxBodyBytes,
                maxImagePixels, full, http);
    }

    public ServeConfig withHttp(HttpLimits limits) {
        return new ServeConfig(host, port, workers, queue, largestBatch, defaultDeadlineMs, reserveMs, maxDeadlineMs, maxBodyBytes,
                maxImagePixels, fullNetwork, limits);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
