package dev.anytimenn.serve;

import dev.anytimenn.infer.Prediction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Writes responses: plain JSON ones, and the two replies a prediction gets from its worker, one JSON
 * answer or a stream of Server-Sent Events. Writes never block the worker: Jetty completes them.
 */
final class Replies {

    static final String RETRY_AFTER_SECONDS = "1";

    private final ServeMetrics metrics;
    private final AnswerBodies bodies;
    private final DoubleSupplier firstExitMs;

    Replies(ServeMetrics metrics, AnswerBodies bodies, DoubleSupplier firstExitMs) {
        this.metrics = metrics;
        this.bodies = bodies;
        this.firstExitMs = firstExitMs;
    }

    static void json(Response response, Callback callback, int status, Object body) {
        byte[] bytes = AnswerBodies.bytes(body);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    static void text(Response response, Callback callback, int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** 503 with Retry-After; the body is {@link AnswerBodies#shed}. */
    static void unavailable(Response response, Callback callback, Map<String, Object> body) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
        json(response, callback, 503, body);
    }

    /** Why a job reached no exit, in one line. */
    String noExitMessage(Job job) {
        double queued = (job.progress().takenNanos - job.arrivalNanos()) / 1e6;
        return String.format(Locale.ROOT, "deadlineMs: no exit could be reached within %s ms (the first needs about "
                + "%.2f ms; %.2f ms were spent waiting in the queue)", trim(job.request().deadlineMs()),
                firstExitMs.getAsDouble(), Math.max(0, queued));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** A job that reached no exit: its deadline was too short, or its client left before the first. */
    private void noExit(Job job, long now, Response response, Callback callback) {
        long queued = Math.max(0, job.progress().takenNanos - job.arrivalNanos());
        if (job.cancelled()) { // most likely unread
            unavailable(response, callback, AnswerBodies.shed("the client went away", "cancelled", queued,
                    now - job.arrivalNanos()));
            return;
        }
        metrics.predicted(503, now - job.arrivalNanos(), 0, 0);
        metrics.shed("deadline");
        unavailable(response, callback, AnswerBodies.shed(noExitMessage(job), "deadline", queued, now - job.arrivalNanos()));
    }

    Job.Reply single(Response response, Callback callback) {
        return new Job.Reply() {
            @Override
            public void answered(Job job, Prediction answer) {
                long now = System.nanoTime();
                if (job.cancelled()) {
                    metrics.cancelled();
                }
                if (!answer.answered()) {
                    noExit(job, now, response, callback);
                    return;
                }
                metrics.predicted(200, now - job.arrivalNanos(), answer.exit(), answer.macs());
                json(response, callback, 200, bodies.answer(job, answer, now));
            }

            @Override
            public void failed(Job job, String message) {
                metrics.predicted(500, System.nanoTime() - job.arrivalNanos(), 0, 0);
                json(response, callback, 500, AnswerBodies.error(message, "internal"));
            }
        };
    }

    Job.Reply stream(Response response, Callback callback) {
        return new StreamReply(response, callback);
    }

    /**
     * Server-Sent Events: {@code event: exit} per exit as it completes, then {@code event: final} with
     * the answer. Headers go out with the first exit, so a request that reaches none still gets a
     * plain 503. Writes are queued and made one at a time; a failed write means the client has gone,
     * which cancels the job's remaining steps.
     */
    private final class StreamReply implements Job.Reply {
        private final Response response;
        private final Callback callback;
        private final ArrayDeque<Chunk> pending = new ArrayDeque<>();
        private boolean started;
        private boolean writing;
        private boolean broken;
        private Job job;

        private record Chunk(ByteBuffer bytes, boolean last) {}

        StreamReply(Response response, Callback callback) {
            this.response = response;
            this.callback = callback;
        }

        @Override
        public void exitReached(Job job, Prediction atExit) {
            send(job, "exit", bodies.exit(atExit, job.arrivalNanos(), System.nanoTime()), false);
        }

        @Override
        public void answered(Job job, Prediction answer) {
            long now = System.nanoTime();
            if (job.cancelled()) {
                metrics.cancelled();
            }
            boolean open;
            synchronized (this) {
                open = started;
            }
            if (!answer.answered() && !open) {
                noExit(job, now, response, callback);
                return;
            }
            if (!job.cancelled()) {
                metrics.predicted(200, now - job.arrivalNanos(), answer.exit(), answer.macs());
            }
            send(job, "final", bodies.answer(job, answer, now), true);
        }

        @Override
        public void failed(Job job, String message) {
            metrics.predicted(500, System.nanoTime() - job.arrivalNanos(), 0, 0);
            boolean open;
            synchronized (this) {
                open = started;
            }
            if (open) {
                send(job, "error", AnswerBodies.error(message, "internal"), true);
            } else {
                json(response, callback, 500, AnswerBodies.error(message, "internal"));
            }
        }

        private synchronized void send(Job job, String event, Object data, boolean last) {
            if (broken) {
                return;
            }
            this.job = job;
            if (!started) {
                started = true;
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            }
            byte[] json = AnswerBodies.bytes(data);
            byte[] head = ("event: " + event + "\ndata: ").getBytes(StandardCharsets.US_ASCII);
            ByteBuffer chunk = ByteBuffer.allocate(head.length + json.length + 2);
            chunk.put(head).put(json).put((byte) '\n').put((byte) '\n').flip();
            pending.add(new Chunk(chunk, last));
            if (!writing) {
                writeNext();
            }
        }

        /** Called holding the lock; Jetty may complete a write on this thread or on another. */
        private void writeNext() {
            Chunk chunk = pending.poll();
            if (chunk == null) {
                writing = false;
                return;
            }
            writing = true;
            response.write(chunk.last(), chunk.bytes(), Callback.from(() -> {
                synchronized (StreamReply.this) {
                    if (chunk.last()) {
                        callback.succeeded();
                    }
                    writeNext();
                }
            }, failure -> {
                synchronized (StreamReply.this) {
                    broken = true;
                    writing = false;
                    pending.clear();
                    if (job != null) {
                        job.cancel();
                    }
                }
                callback.failed(failure);
            }));
        }
    }
}
