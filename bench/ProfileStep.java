import ai.djl.pytorch.jni.JniUtils;
import dev.anytimenn.engine.NativeMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Runs the project's real training loop (PerfBench.trainDemo: the demo model's recipe as in
 * PerfBench's train measure, on synthetic images) and reports, over the steps after a warm-up, the
 * median step time and the minor page faults per step. Optionally records the engine's own profiler (libtorch's autograd profiler, a
 * Chrome trace) over those steps; note that the profiler's own allocations inflate the op times, so read
 * a trace for op counts, shapes and shares, not for absolute times.
 *
 * <p>Usage: java ... ProfileStep C WARM_STEPS MEASURED_STEPS [TRACE_FILE [record-shapes]]
 * (bench/profile compiles it with PerfBench.java and runs it; -Danytimenn.retainNativeMemory=false
 * turns engine.NativeMemory off, and the output says whether it was in effect).
 */
public final class ProfileStep {

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: ProfileStep C WARM_STEPS MEASURED_STEPS [TRACE_FILE [record-shapes]]");
        }
        int c = Integer.parseInt(args[0]);
        int warm = Integer.parseInt(args[1]);
        int measured = Integer.parseInt(args[2]);
        String trace = args.length > 3 ? args[3] : null;
        boolean shapes = args.length > 4 && args[4].equals("record-shapes");
        int steps = warm + measured;
        long[] stamps = new long[steps + 1];
        long[] faults = new long[2];
        PerfBench.trainDemo(c, steps, (step, loss) -> {
            stamps[step] = System.nanoTime();
            if (step == warm) {
                faults[0] = minorFaults();
                if (trace != null) {
                    JniUtils.startProfile(false, shapes, false);
                }
            } else if (step == steps) {
                faults[1] = minorFaults();
                if (trace != null) {
                    JniUtils.stopProfile(trace);
                }
            }
        });
        double[] stepMs = PerfBench.stepMillis(stamps, warm, measured);
        double median = PerfBench.median(stepMs);
        System.out.printf(Locale.ROOT, "{\"side\":\"java\",\"c\":%d,\"batch\":%d,\"retainNativeMemory\":%s,"
                + "\"measuredSteps\":%d,\"medianStepMs\":%.3f,\"minorFaultsPerStep\":%d,\"stepMs\":[%s]}%n",
                c, PerfBench.batch, NativeMemory.retainFreedMemory(), measured, median,
                (faults[1] - faults[0]) / measured,
                Arrays.stream(stepMs).mapToObj(v -> String.format(Locale.ROOT, "%.1f", v))
                        .collect(Collectors.joining(",")));
    }

    /** This process's minor page faults so far (field 10 of /proc/self/stat), or -1 where there is none. */
    static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
