import ai.djl.ndarray.NDManager;
import dev.anytimenn.engine.ConvolutionCase;
import dev.anytimenn.engine.ConvolutionSelfCheck;
import dev.anytimenn.engine.Convolutions;
import dev.anytimenn.engine.SelfCheckResult;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.ConvolutionCases;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Experiment (#13): are a network's own convolutions right at the batch sizes it trains with? Each distinct
 * convolution of the network at its input size, at the given batch sizes and thread counts, through the engine
 * as it is and with channels padded, against the float64 reference.
 * Usage: java ... ModelConvCheck ARCH N C S BATCH[,BATCH...] THREADS[,THREADS...]
 */
public final class ModelConvCheck {
    public static void main(String[] args) {
        ModelConfig config = new ModelConfig(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), 10, new InputShape(1, 28, 28));
        if (Boolean.getBoolean("retain")) {
            System.out.println("retain native memory: " + dev.anytimenn.engine.NativeMemory.retainFreedMemory());
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = Architectures.buildInitialized(config, manager);
            Set<ConvolutionCase> shapes = new LinkedHashSet<>();
            for (ConvolutionCase c : ConvolutionCases.of(net)) {
                shapes.add(new ConvolutionCase(1, c.inChannels(), c.outChannels(), c.size(), c.kernel(), c.stride(), 1));
            }
            for (String b : args[4].split(",")) {
                for (String t : args[5].split(",")) {
                    for (ConvolutionCase s : shapes) {
                        ConvolutionCase c = new ConvolutionCase(Integer.parseInt(b), s.inChannels(), s.outChannels(),
                                s.size(), s.kernel(), s.stride(), Integer.parseInt(t));
                        SelfCheckResult engine = ConvolutionSelfCheck.run(manager, Convolutions.ENGINE, List.of(c));
                        SelfCheckResult padded = ConvolutionSelfCheck.run(manager, Convolutions.CHANNEL_PADDED,
                                List.of(c));
                        System.out.printf("%-70s engine %-60s padded %s%n", c, engine.ok() ? "ok"
                                : engine.mismatches().stream().map(m -> m.quantity() + String.format(" %.2g",
                                        m.relativeError())).toList(), padded.ok() ? "ok" : "WRONG");
                    }
                }
            }
        }
    }
}
