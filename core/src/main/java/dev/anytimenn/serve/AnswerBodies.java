package dev.anytimenn.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.anytimenn.infer.Prediction;
import dev.anytimenn.io.Jsons;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON the server answers with: an answer, one exit of a stream, an error. */
final class AnswerBodies {

    static final ObjectMapper MAPPER = Jsons.newMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private final List<String> classNames;
    private final int exits;

    AnswerBodies(List<String> classNames, int exits) {
        this.classNames = classNames;
        this.exits = exits;
    }

    /** One exit's answer so far, as a stream sends it. */
    Map<String, Object> exit(Prediction p, long arrivalNanos, long nowNanos) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("exit", p.exit());
        o.put("exits", exits);
        o.put("label", p.label());
        o.put("className", classNames.get(p.label()));
        o.put("confidence", p.probabilities()[p.label()]);
        o.put("probabilities", p.probabilities());
        o.put("macs", p.macs());
        o.put("elapsedMs", ms(nowNanos - arrivalNanos));
        return o;
    }

    /** The final answer: the exit's answer and where the time went. */
    Map<String, Object> answer(Job job, Prediction p, long nowNanos) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("label", p.label());
        o.put("className", classNames.get(p.label()));
        o.put("confidence", p.probabilities()[p.label()]);
        o.put("probabilities", p.probabilities());
        o.put("exit", p.exit());
        o.put("exits", exits);
        o.put("macs", p.macs());
        long taken = job.progress().takenNanos;
        o.put("queueMs", ms(taken - job.arrivalNanos()));
        o.put("computeMs", ms(nowNanos - taken));
        o.put("totalMs", ms(nowNanos - job.arrivalNanos()));
        o.put("deadlineMs", job.request().deadlineMs());
        return o;
    }

    static Map<String, Object> error(String message, String reason) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("error", message);
        if (reason != null) {
            o.put("reason", reason);
        }
        return o;
    }

    /**
     * A 503's body: the error, and the server's own times, so a client can tell how long the server took
     * to refuse from how long the refusal took to reach it.
     *
     * @param queueNanos time spent in the queue, for a request that was admitted first; null when it never was
     * @param totalNanos from arrival to the refusal
     */
    static Map<String, Object> shed(String message, String reason, Long queueNanos, long totalNanos) {
        Map<String, Object> o = error(message, reason);
        if (queueNanos != null) {
            o.put("queueMs", ms(queueNanos));
        }
        o.put("totalMs", ms(totalNanos));
        return o;
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }
}
