package dev.anytimenn.cli;

import dev.anytimenn.data.Augmentation;
import dev.anytimenn.data.DataConfig;
import dev.anytimenn.data.ImageSet;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anytimenn.io.OptionRecords;
import dev.anytimenn.model.Architecture;
import dev.anytimenn.model.ArchitectureOptions;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.train.RunConfig;
import dev.anytimenn.train.RunFolder;
import dev.anytimenn.train.TrainConfig;
import dev.anytimenn.weighting.LossWeightings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Model, training and data options. The defaults are the demo configuration, chosen so that the
 * demo trains in under 10 minutes on 2 cores (see bench/RESULTS.md), except that the demo turns
 * random crops off (see {@link DemoCommand}).
 */
final class TrainOptions {

    @Option(names = "--name", description = "Run name, part of the run folder's name (default: <arch>-<weighting>).")
    String name;

    static {
        // help text from the registries, so a new architecture or weighting shows up by registering it
        System.setProperty("anytime.architectures", helpLines(Architectures.help()));
        System.setProperty("anytime.weightings", helpLines(LossWeightings.help()));
    }

    /** The registered architectures' names, for --arch's help. */
    static final class ArchitectureNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Architectures.names().iterator();
        }
    }

    /** Lines for a picocli description, which formats its text: '%' escaped, lines joined by %n. */
    private static String helpLines(List<String> lines) {
        return String.join("\n", lines.stream().map(l -> "  " + l).toList());
    }

    @Option(names = "--arch", description = "Architecture: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); "
            + "its options are set by --n, --c and --arch-opt.", completionCandidates = ArchitectureNames.class)
    String arch = "resann";

    @Option(names = "--n", description = "Depth: the architecture's option n, units per stage or block "
            + "(default: the architecture's, 2).")
    Integer n;

    @Option(names = "--c", description = "Width: the architecture's option c, base channels or growth rate "
            + "(default: the architecture's, 16).")
    Integer c;

    @Option(names = "--s", description = "Head stride: a head after every s-th unit from the end (default: ${DEFAULT-VALUE}).")
    int s = 1;

    @Option(names = "--arch-opt", paramLabel = "NAME=VALUE", description = {"Any option of the architecture "
            + "(repeatable; a list value as 1,2,4). The architectures and their options:",
        "${sys:anytime.architectures}"})
    List<String> archOptions = new ArrayList<>();

    @Option(names = "--weighting", paramLabel = "SPEC", description = {"Loss weighting (default: ${DEFAULT-VALUE}): a "
            + "scheme, then its parameters after ':' as NAME=VALUE pairs separated by commas, e.g. "
            + "adaloss:gamma=0.05,updateEvery=1. The schemes and their parameters:", "${sys:anytime.weightings}"})
    String weighting = "adaloss";

    @Option(names = "--distill", paramLabel = "T:ALPHA", description = "Self-distillation: every early head also "
            + "minimises ALPHA T^2 KL(softmax(final/T) || softmax(head/T)), the final head's logits held fixed, on top "
            + "of its weighted cross-entropy (e.g. 3:0.5; default: none).")
    String distill;

    @Option(names = "--scale-head-decay", description = "Scale each head's linear-layer weight decay by its static "
            + "loss weight, as the paper's code does (default: every head decays alike).")
    boolean scaleHeadDecay;

    @Option(names = "--epochs", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 7;

    @Option(names = "--batch-size", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 128;

    @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr = 0.1;

    @Option(names = "--momentum", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum = 0.9;

    @Option(names = "--nesterov", description = "Use Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--weight-decay", description = "Weight decay on conv and linear weights (default: ${DEFAULT-VALUE}).")
    double weightDecay = 1e-4;

    @Option(names = "--schedule", description = "Learning-rate schedule: cosine or step (default: ${DEFAULT-VALUE}).")
    String schedule = "cosine";

    @Option(names = "--warmup", paramLabel = "EPOCHS", description = "Linear warm-up epochs (default: ${DEFAULT-VALUE}).")
    double warmup = 0;

    @Option(names = "--seed", description = "Random seed for initialisation, order and augmentation (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--val-size", description = "Last N training images held out for validation (default: ${DEFAULT-VALUE}).")
    int valSize = 5000;

    @Option(names = "--train-limit", paramLabel = "N", description = "Train on the first N training images only (0: all).")
    int trainLimit = 0;

    @Option(names = "--crop-padding", description = "Random-crop zero padding in pixels (default: the data set's: "
            + "2 for fashion-mnist and mnist, 4 for cifar, 0 for folder).")
    Integer cropPadding;

    @Option(names = "--flip", negatable = true, description = "Random horizontal flips (default: the data set's: "
            + "on for cifar and folder, off for fashion-mnist and mnist).")
    Boolean flip;

    @Option(names = "--dataset", description = "Data set: fashion-mnist, mnist, cifar10, cifar100 or folder "
            + "(default: ${DEFAULT-VALUE}). Input shape and classes come from the data.")
    String dataset = "fashion-mnist";

    @Option(names = "--data", paramLabel = "DIR", description = "Folder with the data set's files (default for "
            + "fashion-mnist: /usr/share/datasets/fashion-mnist; required for the others).")
    Path data;

    @Option(names = "--label", description = "cifar100 labels: fine (100 classes) or coarse (20) (default: ${DEFAULT-VALUE}).")
    String label = "fine";

    @Option(names = "--image-size", paramLabel = "PX", description = "folder: images are resized to PX x PX (default: 32).")
    int imageSize = 0;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder to write (default: runs/<timestamp>-<name>).")
    Path out;

    @Option(names = "--runs-dir", paramLabel = "DIR", description = "Where new run folders go (default: ${DEFAULT-VALUE}).")
    Path runsDir = Path.of("runs");

    /** The folder a new run writes: --out, else a fresh one under --runs-dir. */
    RunFolder runFolder(String runName) {
        return out != null ? new RunFolder(out) : RunFolder.fresh(runsDir, runName);
    }

    /** --name, else the architecture and weighting asked for, e.g. resann-adaloss or msdnet-opt3. */
    String runName() {
        return name != null ? name : (arch + "-" + LossWeightings.fileName(weighting)).replaceAll("[^A-Za-z0-9._-]", "");
    }

    /**
     * The architecture's options: its defaults, then --arch-opt, --n and --c. A bad option fails naming it;
     * --n or --c and an --arch-opt of the same option are refused rather than one silently winning.
     */
    ArchitectureOptions architectureOptions() {
        Architecture<?> architecture;
        try {
            architecture = Architectures.get(arch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--arch: " + e.getMessage(), e);
        }
        List<String> assignments = new ArrayList<>();
        archOptions.forEach(a -> assignments.addAll(OptionRecords.splitAssignments(a)));
        ObjectNode given;
        try {
            given = OptionRecords.parse(architecture.defaults(), assignments);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--arch-opt: " + arch + ": " + e.getMessage(), e);
        }
        shorthand(given, "n", n);
        shorthand(given, "c", c);
        try {
            return architecture.options(null, given);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--arch " + arch + ": " + e.getMessage(), e);
        }
    }

    private static void shorthand(ObjectNode given, String option, Integer value) {
        if (value == null) {
            return;
        }
        if (given.has(option)) {
            throw new IllegalArgumentException("--" + option + " and --arch-opt " + option + "=... both set " + option
                    + "; give one");
        }
        given.put(option, value);
    }

    /**
     * The run these options describe; reads the test images for the input shape and class count,
     * and fails, naming the option, when the network or its weighting cannot be made from them.
     */
    RunConfig runConfig() throws Exception {
        ArchitectureOptions architectureOptions = architectureOptions();
        if (distill != null) {
            try {
                dev.anytimenn.train.Distillation.parse(distill);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--distill: " + e.getMessage(), e);
            }
        }
        try {
            LossWeightings.parse(weighting);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--weighting: " + e.getMessage(), e);
        }
        DataConfig dataConfig = new DataConfig(dataset, data == null ? null : data.toString(), label, imageSize, seed);
        ImageSet test = dataConfig.loadTest();
        ModelConfig model = new ModelConfig(arch, architectureOptions, s, test.classes(),
                new InputShape(test.channels(), test.height(), test.width()), 0);
        Augmentation augmentation = dataConfig.defaultAugmentation();
        TrainConfig training = new TrainConfig(epochs, batchSize, lr, momentum, nesterov, weightDecay, schedule,
                warmup, seed, valSize, trainLimit, cropPadding == null ? augmentation.padding() : cropPadding,
                flip == null ? augmentation.flip() : flip, weighting, distill, scaleHeadDecay);
        RunConfig config = new RunConfig(runName(), model, training, dataConfig);
        int heads;
        try {
            heads = Architectures.build(model).headCount();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--arch: " + e.getMessage(), e);
        }
        try {
            LossWeightings.create(weighting, heads, seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--weighting: " + e.getMessage(), e);
        }
        return config;
    }
}
