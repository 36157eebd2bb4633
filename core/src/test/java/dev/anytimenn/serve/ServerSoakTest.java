package dev.anytimenn.serve;

import static dev.anytimenn.serve.ServerTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A soak: thousands of requests from 32 concurrent clients on loopback against the shipped model.
 * Nothing but 200 and 503 comes back, memory (resident, so native too, and heap) stays flat between
 * the second round and the last, and every worker is alive at the end.
 */
class ServerSoakTest {

    static final int CLIENTS = 32;
    static final int PER_CLIENT = 100;

    @Test
    void thousandsOfConcurrentRequestsLeaveNoErrorsNoGrowthAndLiveWorkers() throws Exception {
        try (AnytimeServer server = ServerTestSupport.startShipped(ServerTestSupport.config(2).withQueue(32, 16))) {
            URI base = server.uri();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .executor(Executors.newFixedThreadPool(4)).build();
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

            // four rounds; the first reaches the steady state (JIT, pools, the allocator's caches)
            long[] nativeBytes = new long[4];
            long[] heap = new long[4];
            for (int round = 0; round < 4; round++) {
                runClients(client, base, PER_CLIENT / 4, statuses, failures);
                heap[round] = heapAfterGc();
                nativeBytes[round] = residentBytes() - committedJavaBytes();
                System.out.printf("soak round %d: native %d MiB, heap after GC %d MiB%n", round + 1,
                        nativeBytes[round] >> 20, heap[round] >> 20);
            }
            System.out.println("soak statuses: " + statuses);
            assertThat(failures).as("transport failures").isEmpty();
            assertThat(statuses.keySet()).as("statuses seen: %s", statuses).isSubsetOf(200, 503).contains(200);
            int total = statuses.values().stream().mapToInt(AtomicInteger::get).sum();
            assertThat(total).isEqualTo(CLIENTS * PER_CLIENT);
            // resident memory less what the JVM has committed for its own heaps: native memory, the engine's
            assertThat(nativeBytes[3] - nativeBytes[1]).as("native memory growth over the last two rounds (MiB: %s)",
                    java.util.Arrays.toString(java.util.Arrays.stream(nativeBytes).map(b -> b >> 20).toArray()))
                    .isLessThan(48L << 20);
            assertThat(heap[3] - heap[1]).as("heap growth after GC over the last two rounds (MiB: %s)",
                    java.util.Arrays.toString(java.util.Arrays.stream(heap).map(b -> b >> 20).toArray()))
                    .isLessThan(24L << 20);
            assertThat(server.workersAlive()).isEqualTo(2);
            assertThat(get(ServerTestSupport.client(), base, "readyz").status()).isEqualTo(200);
            String metrics = get(ServerTestSupport.client(), base, "metrics").body();
            assertThat(metrics).contains("anytime_workers_alive 2.0");
        }
    }

    private static void runClients(HttpClient client, URI base, int each, Map<Integer, AtomicInteger> statuses,
            List<String> failures) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int seed = c;
                done.add(clients.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < each; i++) {
                        StringBuilder body = new StringBuilder("{\"deadlineMs\": ").append(5 + random.nextInt(46))
                                .append(", \"pixels\": [");
                        for (int p = 0; p < 784; p++) {
                            body.append(p == 0 ? "" : ",").append(random.nextInt(256));
                        }
                        HttpRequest request = HttpRequest.newBuilder(base.resolve("v1/predict"))
                                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString())).build();
                        try {
                            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                            statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                        } catch (IOException e) {
                            failures.add(e.toString());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /** Resident set size of this process (heap and native), from /proc; 0 where there is none. */
    private static long residentBytes() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        return 0;
    }

    /** Memory the JVM has committed for the heap and its other pools (metaspace, code cache, ...). */
    private static long committedJavaBytes() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        return memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted();
    }

    private static long heapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
