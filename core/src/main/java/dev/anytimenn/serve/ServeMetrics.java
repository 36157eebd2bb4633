package dev.anytimenn.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The server's Prometheus metrics (Micrometer's names, as Prometheus shows them):
 * {@code anytime_requests_total{status}}, {@code anytime_request_latency_seconds} (histogram, from
 * arrival to answer), {@code anytime_exit} (histogram of the answering exit, 0: none), {@code
 * anytime_macs_total}, {@code anytime_queue_depth}, {@code anytime_shed_total{reason}} (503s: queue
 * full, or too little time left for the first exit), {@code anytime_cancelled_total} (clients that
 * left mid-stream) and {@code anytime_workers_alive}.
 */
final class ServeMetrics {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Integer, Counter> byStatus = new ConcurrentHashMap<>();
    private final Map<String, Counter> shed = new ConcurrentHashMap<>();
    private final Timer latency;
    private final DistributionSummary exits;
    private final Counter macs;
    private final Counter cancelled;

    ServeMetrics(int exitCount) {
        latency = Timer.builder("anytime.request.latency").description("time from a request's arrival to its answer")
                .serviceLevelObjectives(IntStream.of(1, 2, 3, 5, 7, 10, 11, 15, 20, 30, 50, 100, 200, 500, 1000, 5000)
                        .mapToObj(Duration::ofMillis).toArray(Duration[]::new))
                .register(registry);
        exits = DistributionSummary.builder("anytime.exit").description("the exit that answered (0: none in time)")
                .serviceLevelObjectives(IntStream.rangeClosed(1, exitCount).asDoubleStream().toArray())
                .register(registry);
        macs = Counter.builder("anytime.macs").description("multiply-accumulates spent on answers").register(registry);
        cancelled = Counter.builder("anytime.cancelled").description("requests whose client left before the answer")
                .register(registry);
    }

    /** A prediction answered: its status, the time since arrival, and (for 200) its exit and MACs. */
    void predicted(int status, long nanosSinceArrival, int exit, long spentMacs) {
        status(status);
        latency.record(nanosSinceArrival, TimeUnit.NANOSECONDS);
        if (status == 200) {
            exits.record(exit);
            macs.increment(spentMacs);
        }
    }

    /** A request answered without a prediction (400, 404, ...). */
    void status(int status) {
        byStatus.computeIfAbsent(status, s -> Counter.builder("anytime.requests").tag("status", Integer.toString(s))
                .description("prediction requests by HTTP status").register(registry)).increment();
    }

    void shed(String reason) {
        shed.computeIfAbsent(reason, r -> Counter.builder("anytime.shed").tag("reason", r)
                .description("requests answered 503 at once").register(registry)).increment();
    }

    void cancelled() {
        cancelled.increment();
    }

    void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    String scrape() {
        return registry.scrape();
    }
}
