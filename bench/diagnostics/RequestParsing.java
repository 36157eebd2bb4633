package dev.anytimenn.serve;

import ai.djl.Device;
import com.sun.management.ThreadMXBean;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.InferenceEngine;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What `anytime serve` spends reading one JSON prediction body on its HTTP thread, the way serve-load
 * sends it (784 pixels and a deadline, about 2.4 KB): microseconds and bytes allocated per body (diagnostics,
 * #15: run it against two builds' jars to compare their parsers). RequestParser is package-private, so
 * this compiles into its package instead of running as a source file:
 *   javac -d /tmp/request-parsing -cp "core/target/anytime-nn.jar:core/target/lib/*" bench/diagnostics/RequestParsing.java
 *   taskset -c 0 java -Dai.djl.offline=true -cp "/tmp/request-parsing:core/target/anytime-nn.jar:core/target/lib/*" \
 *     dev.anytimenn.serve.RequestParsing [MODEL]
 */
public final class RequestParsing {

    public static void main(String[] args) throws Exception {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (AnytimeModel model = AnytimeModel.open(Path.of(args.length > 0 ? args[0] : "models/fashion-mnist"),
                Device.cpu())) {
            ServedModel served = new OpenedModel(model, InferenceEngine.DJL);
            RequestParser parser = new RequestParser(served, ServeConfig.defaults(1), AnswerBodies.MAPPER);
            int size = served.inputShape().channels() * served.inputShape().height() * served.inputShape().width();
            Random random = new Random(42);
            StringBuilder json = new StringBuilder("{\"pixels\": [");
            for (int i = 0; i < size; i++) {
                json.append(i == 0 ? "" : ",").append(random.nextInt(4) == 0 ? 0 : random.nextInt(256));
            }
            byte[] body = json.append("], \"deadlineMs\": 10}").toString().getBytes(StandardCharsets.UTF_8);
            Map<String, List<String>> query = Map.of();
            int n = 100_000;
            long sink = 0;
            for (int round = 0; round < 7; round++) { // the first two warm the parser up and are not shown
                long bytes = threads.getCurrentThreadAllocatedBytes();
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    sink += parser.parse("application/json", body, query).pixels()[i % size];
                }
                long nanos = System.nanoTime() - start;
                long allocated = threads.getCurrentThreadAllocatedBytes() - bytes;
                if (round >= 2) {
                    System.out.printf("round %d: %.2f us and %d bytes allocated per %d-byte body%n", round - 1,
                            nanos / 1e3 / n, allocated / n, body.length);
                }
            }
            System.out.println("(checksum " + sink + ")");
        }
    }
}
