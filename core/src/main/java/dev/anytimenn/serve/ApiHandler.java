package dev.anytimenn.serve;

import dev.anytimenn.model.ExitCost;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's routes: {@code POST /v1/predict}, {@code GET /v1/model}, {@code /healthz},
 * {@code /readyz}, {@code /metrics} and the web page. A prediction is checked here (400 naming the
 * field), admitted or refused at once (503), and answered later by its worker.
 *
 * <p>Non-blocking in Jetty's sense: no route waits for I/O or a lock (bodies are read on demand, answers
 * are written by the workers), so Jetty runs a request on the thread that saw its bytes arrive instead of
 * waking a pool thread for it. On a CPU shared with the inference worker, each such hand-off was a
 * context switch and a wait for the scheduler that the request's deadline paid for.
 */
final class ApiHandler extends Handler.Abstract.NonBlocking {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    private final ServedModel model;
    private final ServeConfig config;
    private final InferenceWorkers workers;
    private final ServeMetrics metrics;
    private final RequestParser parser;
    private final Replies replies;
    private final WebPage page = new WebPage();
    private volatile boolean shuttingDown;

    ApiHandler(ServedModel model, ServeConfig config, InferenceWorkers workers, ServeMetrics metrics) {
        this.model = model;
        this.config = config;
        this.workers = workers;
        this.metrics = metrics;
        this.parser = new RequestParser(model, config, AnswerBodies.MAPPER);
        this.replies = new Replies(metrics, new AnswerBodies(model.classNames(), model.exits().size()),
                () -> workers.expectedMsToFirstExit(1));
    }

    void shuttingDown() {
        shuttingDown = true;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        guarded(request, response, callback, () -> route(request, response, callback));
        return true;
    }

    private void route(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (path.equals("/v1/predict")) {
            if (!method.equals("POST")) {
                notAllowed(response, callback, "POST");
                return;
            }
            predict(request, response, callback);
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            if (isKnownGet(path)) {
                notAllowed(response, callback, "GET");
            } else {
                Replies.json(response, callback, 404, AnswerBodies.error("no such path: " + path, null));
            }
            return;
        }
        switch (path) {
            case "/healthz" -> Replies.json(response, callback, 200, Map.of("status", "ok"));
            case "/readyz" -> ready(response, callback);
            case "/metrics" -> Replies.text(response, callback, 200, ServeMetrics.CONTENT_TYPE, metrics.scrape());
            case "/v1/model" -> Replies.json(response, callback, 200, modelInfo());
            default -> {
                if (!page.serve(path, response, callback)) {
                    Replies.json(response, callback, 404, AnswerBodies.error("no such path: " + path, null));
                }
            }
        }
    }

    private boolean isKnownGet(String path) {
        return List.of("/healthz", "/readyz", "/metrics", "/v1/model").contains(path) || page.has(path);
    }

    private static void notAllowed(Response response, Callback callback, String allow) {
        response.getHeaders().put(HttpHeader.ALLOW, allow);
        Replies.json(response, callback, 405, AnswerBodies.error("method not allowed; use " + allow, null));
    }

    private void ready(Response response, Callback callback) {
        if (shuttingDown) {
            Replies.json(response, callback, 503, Map.of("status", "shutting down"));
        } else if (workers.ready()) {
            Replies.json(response, callback, 200, Map.of("status", "ready"));
        } else {
            Replies.json(response, callback, 503, Map.of("status", "warming up"));
        }
    }

    private Map<String, Object> modelInfo() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("input", model.inputShape());
        o.put("classNames", model.classNames());
        List<Map<String, Object>> exits = new ArrayList<>();
        for (ExitCost e : model.exits()) {
            exits.add(Map.of("exit", e.index(), "cumulativeMacs", e.cumulativeMacs()));
        }
        o.put("exits", exits);
        o.put("calibrated", model.thresholds().isPresent());
        o.put("defaultDeadlineMs", config.defaultDeadlineMs());
        o.put("maxDeadlineMs", config.maxDeadlineMs());
        o.put("mode", config.fullNetwork() ? "full" : "anytime");
        return o;
    }

    /**
     * Reads the body without blocking ({@link BodyReader}), then checks the request and admits it to the
     * queue or refuses it with a 503 at once. Either way the handler's thread is free again as soon as
     * that is decided: an admitted request is answered by its worker, through the callback.
     */
    private void predict(Request request, Response response, Callback callback) {
        long arrival = request.getBeginNanoTime();
        long declared = request.getLength();
        int max = config.maxBodyBytes();
        BodyReader.Sink sink = new BodyReader.Sink() {
            @Override
            public void body(byte[] bytes) {
                guarded(request, response, callback, () -> admit(request, response, callback, arrival, bytes));
            }

            @Override
            public void bad(BadRequestException e) {
                guarded(request, response, callback, () -> badRequest(response, callback, e));
            }
        };
        if (declared > max) {
            BadRequestException tooLarge = new BadRequestException("body", declared
                    + " bytes, more than the limit of " + max);
            if (declared > BodyReader.DRAIN_LIMIT) {
                badRequest(response, callback, tooLarge); // too much to drain: Jetty closes the connection
            } else {
                BodyReader.refuse(request, tooLarge, sink);
            }
            return;
        }
        BodyReader.read(request, max, sink);
    }

    /**
     * Runs {@code step} (routing, or what follows a body read, maybe on a thread of Jetty's that calls back): a
     * failure becomes one line in the log and a plain 500, never a stack trace out and never a hang.
     */
    private void guarded(Request request, Response response, Callback callback, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            LOG.error("{} {} failed: {}", request.getMethod(), Request.getPathInContext(request), e.toString(), e);
            if (!response.isCommitted()) {
                Replies.json(response, callback, 500, AnswerBodies.error("internal error", "internal"));
            } else {
                callback.failed(e);
            }
        }
    }

    private void badRequest(Response response, Callback callback, BadRequestException e) {
        metrics.status(400);
        Replies.json(response, callback, 400, AnswerBodies.error(e.getMessage(), "bad-request"));
    }

    private void admit(Request request, Response response, Callback callback, long arrival, byte[] body) {
        PredictRequest parsed;
        try {
            parsed = parser.parse(request.getHeaders().get(HttpHeader.CONTENT_TYPE), body, query(request));
        } catch (BadRequestException e) {
            badRequest(response, callback, e);
            return;
        }
        double workMs = config.workMs(parsed.deadlineMs());
        long workEnd = config.fullNetwork() ? Long.MAX_VALUE : arrival + Math.round(workMs * 1e6); // full: no end
        if (!config.fullNetwork()) {
            long now = System.nanoTime();
            double leftMs = (workEnd - now) / 1e6;
            double firstMs = workers.expectedMsToFirstAnswer(now);
            if (leftMs < firstMs && !workers.takesAtOnce()) {
                shed(response, callback, arrival, "deadline", String.format(java.util.Locale.ROOT,
                        "deadlineMs: %.2f ms left (less %.2f ms kept for the answer), the first exit needs about "
                        + "%.2f ms with %d waiting", leftMs, parsed.deadlineMs() - workMs, firstMs, workers.queued()));
                return;
            }
        }
        Job.Progress progress = new Job.Progress();
        Job job = Job.of(parsed, RequestPolicy.of(parsed, arrival, workMs, model.exits().size(), config.fullNetwork(),
                model.thresholds(), progress.cancelled, workers), arrival, workEnd,
                parsed.stream() ? replies.stream(response, callback) : replies.single(response, callback), progress);
        request.addFailureListener(failure -> job.cancel());
        if (!workers.offer(job)) {
            shed(response, callback, arrival, "queue-full", shuttingDown ? "the server is shutting down"
                    : "the queue is full (" + config.queue() + " waiting); retry later");
        }
    }

    /** A 503 at admission: the request never entered the queue. */
    private void shed(Response response, Callback callback, long arrival, String reason, String message) {
        long now = System.nanoTime();
        metrics.predicted(503, now - arrival, 0, 0);
        metrics.shed(reason);
        Replies.unavailable(response, callback, AnswerBodies.shed(message, reason, null, now - arrival));
    }

    private static Map<String, List<String>> query(Request request) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        Fields fields = Request.extractQueryParameters(request);
        for (Fields.Field f : fields) {
            query.put(f.getName(), f.getValues());
        }
        return query;
    }
}
