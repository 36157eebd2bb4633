import ai.djl.Device;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.AnytimePredictor;
import dev.anytimenn.infer.InferenceEngine;
import dev.anytimenn.infer.StoppingRule;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How steady one image's way to the first exit is on this machine, run back to back for about 30 s (diagnostics,
 * #15: the server's estimates are a window's 75th percentile of such times, so a spell of slow ones holds them up):
 * percentiles of the time, and the spells of 8 or more runs in a row above twice the median, with their lengths.
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp "core/target/anytime-nn.jar:core/target/lib/*" \
 *   bench/diagnostics/SlowSpells.java [SECONDS]     (pin it: taskset -c 0)
 */
public class SlowSpells {
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 30;
        try (AnytimeModel model = AnytimeModel.open(Path.of("models/fashion-mnist"), Device.cpu())) {
            AnytimePredictor predictor = model.predictor(InferenceEngine.DJL);
            predictor.warmUpBatches(1);
            byte[] image = new byte[784];
            StoppingRule firstExit = new StoppingRule.CostBudget(model.exitCosts().get(0).cumulativeMacs());
            double[] ms = new double[2_000_000];
            int n = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end && n < ms.length) {
                long start = System.nanoTime();
                predictor.predict(image, firstExit);
                ms[n++] = (System.nanoTime() - start) / 1e6;
            }
            double[] sorted = Arrays.copyOf(ms, n);
            Arrays.sort(sorted);
            double median = sorted[n / 2];
            System.out.printf("%d runs to the first exit: p50 %.3f p75 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f ms%n", n,
                    median, sorted[(int) (n * 0.75)], sorted[(int) (n * 0.9)], sorted[(int) (n * 0.99)],
                    sorted[(int) (n * 0.999)], sorted[n - 1]);
            int spells = 0;
            int longest = 0;
            int slowInSpells = 0;
            for (int i = 0, run = 0; i <= n; i++) {
                if (i < n && ms[i] > 2 * median) {
                    run++;
                } else {
                    if (run >= 8) {
                        spells++;
                        slowInSpells += run;
                        longest = Math.max(longest, run);
                    }
                    run = 0;
                }
            }
            System.out.printf("spells of 8+ runs above 2 x median: %d, holding %d runs (%.2f %%), the longest %d runs%n",
                    spells, slowInSpells, 100.0 * slowInSpells / n, longest);
        }
    }
}
