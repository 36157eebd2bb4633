package dev.anytimenn.serve;

/**
 * Bounds on Jetty's side of the server, so that overload reaches the admission control
 * ({@link InferenceWorkers}) and is shed there with a 503, instead of waiting unseen in front of it.
 * Jetty's defaults are sized for a general web server (up to 200 threads, the JDK's backlog): on a
 * machine of one or two cores, those threads compete with the inference workers for the CPU,
 * and requests wait in them before our clock (which starts when Jetty begins parsing the request) can
 * count that wait.
 *
 * <p>Request threads never wait for inference: a handler reads the body without blocking
 * ({@link BodyReader}), admits or refuses the request, and returns; the worker completes the response
 * later. So a handful of threads keeps up with any request rate the CPU can parse. Jetty's job queue
 * (connections with bytes to read, waiting for a thread) stays unbounded, as Jetty 12 asks: a
 * rejected job would close its connection, a failure the client sees as a reset rather than a 503;
 * it holds at most one job per connection, and drains at parse speed.
 *
 * @param threads Jetty's thread pool, fixed size: {@value #ACCEPTORS} acceptor, {@value #SELECTORS}
 *     selector, and the rest handle requests (parse, admit or refuse, reply)
 * @param acceptQueue the listening socket's backlog: new connections the kernel holds until the
 *     acceptor takes them (Linux caps it at {@code net.core.somaxconn})
 */
public record HttpLimits(int threads, int acceptQueue) {

    /** Threads that accept connections; one keeps up with loopback connection rates. */
    public static final int ACCEPTORS = 1;
    /** Threads that watch the connections for readable bytes; one serves thousands of connections. */
    public static final int SELECTORS = 1;
    /** Request threads beyond one per inference worker: slow parses (PNG decoding), health and metrics routes. */
    public static final int SLACK_THREADS = 4;
    /** The fewest threads: the acceptor, the selector and one request thread. */
    public static final int MIN_THREADS = ACCEPTORS + SELECTORS + 1;
    public static final int DEFAULT_ACCEPT_QUEUE = 128;

    public HttpLimits {
        if (threads < MIN_THREADS) {
            throw new IllegalArgumentException("--http-threads must be at least " + MIN_THREADS + " (an acceptor, a "
                    + "selector and one request thread), got " + threads);
        }
        if (acceptQueue < 1) {
            throw new IllegalArgumentException("--accept-queue must be at least 1, got " + acceptQueue);
        }
    }

    /** The default thread count for W inference workers: acceptor, selector, W request threads and the slack. */
    public static int defaultThreads(int workers) {
        return ACCEPTORS + SELECTORS + Math.max(1, workers) + SLACK_THREADS;
    }

    /** The defaults for W inference workers. */
    public static HttpLimits defaults(int workers) {
        return new HttpLimits(defaultThreads(workers), DEFAULT_ACCEPT_QUEUE);
    }

    /** Threads left for requests once the acceptor and the selector have theirs. */
    public int requestThreads() {
        return threads - ACCEPTORS - SELECTORS;
    }
}
