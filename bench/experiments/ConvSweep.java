import ai.djl.ndarray.NDManager;
import dev.anytimenn.engine.ConvolutionCase;
import dev.anytimenn.engine.ConvolutionKernel;
import dev.anytimenn.engine.ConvolutionSelfCheck;
import dev.anytimenn.engine.Convolutions;
import dev.anytimenn.engine.SelfCheckResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Experiment (#13): which 3x3 convolution shapes does this engine get wrong, computed directly and with the
 * channels padded to multiples of 16? Every pair of channel counts below, stride 1 and 2, 1 and 2 threads,
 * batch 4 on 8x8 and batch 2 on 14x14, forward and both gradients against the float64 reference.
 * Usage: java ... ConvSweep [engine|padded|onednn-off|all] [batch multiplier]
 */
public final class ConvSweep {
    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "all";
        int batchScale = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int[] channels = {1, 3, 4, 8, 12, 16, 20, 24, 32, 40, 48, 64};
        List<ConvolutionCase> cases = new ArrayList<>();
        for (int threads = 1; threads <= 2; threads++) {
            for (int stride = 1; stride <= 2; stride++) {
                for (int in : channels) {
                    for (int out : channels) {
                        if (out < 4) {
                            continue;
                        }
                        cases.add(new ConvolutionCase(4 * batchScale, in, out, 8, 3, stride, threads));
                        cases.add(new ConvolutionCase(2 * batchScale, in, out, 14, 3, stride, threads));
                    }
                }
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String name : which.equals("all") ? List.of("engine", "padded", "onednn-off") : List.of(which)) {
                ConvolutionKernel kernel = name.equals("padded") ? Convolutions.CHANNEL_PADDED : Convolutions.ENGINE;
                if (name.equals("onednn-off")) {
                    dev.anytimenn.engine.EngineGuard.disableOneDnnForExperiment();
                }
                SelfCheckResult result = ConvolutionSelfCheck.run(manager, kernel, cases);
                Set<String> wrongShapes = new TreeSet<>();
                int[] byQuantity = new int[3];
                for (SelfCheckResult.Mismatch m : result.mismatches()) {
                    ConvolutionCase c = m.convolution();
                    wrongShapes.add(String.format(Locale.ROOT, "%2d->%2d s%d", c.inChannels(), c.outChannels(), c.stride()));
                    byQuantity[m.quantity().startsWith("forward") ? 0 : m.quantity().startsWith("input") ? 1 : 2]++;
                }
                System.out.printf(Locale.ROOT, "%s: %d cases, %d of %d results wrong (forward %d, input gradient %d,"
                        + " weight gradient %d), %.0f ms%n", name, cases.size(), result.mismatches().size(),
                        result.computations(), byQuantity[0], byQuantity[1], byQuantity[2], result.millis());
                System.out.println("  wrong channel pairs: " + wrongShapes);
            }
        }
    }
}
