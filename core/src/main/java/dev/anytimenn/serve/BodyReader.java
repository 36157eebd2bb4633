package dev.anytimenn.serve;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.Content;

/**
 * Reads a request body without blocking a thread: what has arrived is read at once, and for the rest
 * Jetty calls back when more bytes come. A client that sends its headers and then its body slowly (or
 * never) so holds none of Jetty's few request threads ({@link HttpLimits}); a blocking read would hold
 * one until the idle timeout, and enough of them would stall every other request before admission.
 *
 * <p>Most bodies arrive with their headers: then the whole read, and what follows it, runs on the
 * handler's own thread, with no extra dispatch.
 *
 * <p>A body over the limit is still read to its end, up to {@link #DRAIN_LIMIT} bytes, and thrown away
 * before the 400 goes out: answering while the client is still sending makes Jetty close the connection
 * on unread content, and a client still writing then loses the answer to the reset.
 */
final class BodyReader implements Runnable {

    /** What is done with the body, on whichever thread completes it. */
    interface Sink {
        void body(byte[] bytes);

        /** The body could not be read, or is larger than allowed: a 400 naming the body. */
        void bad(BadRequestException e);
    }

    private final Content.Source source;
    private final int maxBytes;
    private final Sink sink;
    /** The most of a refused body read and discarded before the 400; a larger one is cut off with the connection. */
    static final long DRAIN_LIMIT = 1 << 20;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    /** Set once the body is refused: the rest is discarded, then the sink is told this. */
    private BadRequestException refused;
    private long discarded;

    private BodyReader(Content.Source source, int maxBytes, Sink sink, BadRequestException refused) {
        this.source = source;
        this.maxBytes = maxBytes;
        this.sink = sink;
        this.refused = refused;
    }

    /** Starts reading; the sink is told exactly once. */
    static void read(Content.Source source, int maxBytes, Sink sink) {
        new BodyReader(source, maxBytes, sink, null).run();
    }

    /** Discards the body (up to {@link #DRAIN_LIMIT}), then tells the sink {@code reason}. */
    static void refuse(Content.Source source, BadRequestException reason, Sink sink) {
        new BodyReader(source, 0, sink, reason).run();
    }

    /** Reads what has arrived; demands a call back for the rest. */
    @Override
    public void run() {
        while (true) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                Throwable failure = chunk.getFailure();
                sink.bad(new BadRequestException("body", "could not be read (" + (failure == null ? "failed"
                        : failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName()) + ")"));
                return;
            }
            ByteBuffer buffer = chunk.getByteBuffer();
            boolean last = chunk.isLast();
            if (refused == null && (long) bytes.size() + buffer.remaining() > maxBytes) {
                refused = new BadRequestException("body", "more than the limit of " + maxBytes + " bytes");
                bytes.reset();
            }
            if (refused != null) {
                discarded += buffer.remaining();
                chunk.release();
                if (last || discarded > DRAIN_LIMIT) {
                    sink.bad(refused);
                    return;
                }
                continue;
            }
            byte[] part = new byte[buffer.remaining()];
            buffer.get(part);
            bytes.write(part, 0, part.length);
            chunk.release();
            if (last) {
                sink.body(bytes.toByteArray());
                return;
            }
        }
    }
}
