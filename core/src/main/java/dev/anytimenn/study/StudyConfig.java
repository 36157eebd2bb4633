package dev.anytimenn.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.anytimenn.data.DataConfig;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.train.TrainConfig;
import dev.anytimenn.weighting.LossWeightings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/**
 * The paper's comparison of loss weightings against OPT: which network, recipe and data, which
 * ANN arms (a weighting, with or without self-distillation) and seeds, and the depth fractions at which
 * the ANN is compared with OPT networks.
 *
 * @param training the shared recipe; its {@code weighting}, {@code distill} and {@code seed} are replaced per run
 * @param arms the ANNs compared; a config file may instead list plain {@code weightings}, as the first
 *     protocol's did
 * @param fractions depth fractions of the full network; each times L must be a unit carrying a head
 */
public record StudyConfig(String name, ModelConfig model, TrainConfig training, DataConfig data,
        List<StudyArm> arms, List<Long> seeds, List<Double> fractions) {

    /** The first protocol's arms (results/study-fashion-mnist/study-v1.json keeps it runnable). */
    public static final List<String> V1_WEIGHTINGS = List.of("const", "linear", "half-end", "sieve", "oscillating",
            "adaloss");
    /** The authors' test scripts' AdaLoss: a slower average and the final head's bonus e = 1. */
    public static final String ADALOSS_AUTHORS_SCRIPTS = "adaloss:mu=0.99,finalBonus=1";
    /** Self-distillation of the v2 study's distilling arm: T = 3, alpha = 0.5. */
    public static final String DISTILL = "3:0.5";
    /** The study v2 arms, pre-registered in results/study-fashion-mnist/README.md. */
    public static final List<StudyArm> ARMS = List.of(StudyArm.of("const"), StudyArm.of("oscillating"),
            StudyArm.of("adaloss"), new StudyArm("adaloss-mu0.99-e1", ADALOSS_AUTHORS_SCRIPTS, null),
            new StudyArm("adaloss-distill", "adaloss", DISTILL));
    /** 63 steps only: with the default U = 100 AdaLoss would never update and equal CONST. */
    public static final String QUICK_ADALOSS = "adaloss:updateEvery=8";
    static final List<String> QUICK_WEIGHTINGS = List.of("const", "linear", "half-end", "sieve", "oscillating",
            QUICK_ADALOSS);
    public static final List<Double> FRACTIONS = List.of(0.25, 0.5, 0.75, 1.0);

    // Default recipe (study v2), sized so that the whole study (3 seeds x 9 runs, 22.5 full networks)
    // fits 2 hours on 2 cores: at the measured 708 images/s (bench/results/train-throughput-n4-c8-s3-b128-
    // pad0.json) an epoch of the full network is 78 s, so 3 epochs are about 88 minutes of training and
    // 4 would be about 117, over the budget once evaluation is added. No crops: see the demo's reasons.
    static final int EPOCHS = 3;
    static final List<Long> SEEDS = List.of(1L, 2L, 3L);
    static final int BATCH = 128;
    static final double LR = 0.1;
    static final double MOMENTUM = 0.9;
    static final double WEIGHT_DECAY = 1e-4;
    static final String SCHEDULE = "cosine";
    static final int VAL_SIZE = 5000;
    static final int CROP_PADDING = 0;

    private static final InputShape FASHION = new InputShape(1, 28, 28);
    private static final int FASHION_CLASSES = 10;

    public StudyConfig {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        if (model == null || training == null || data == null) {
            throw new IllegalArgumentException("model, training and data are required");
        }
        if (model.units() != 0) {
            throw new IllegalArgumentException("model.units must be 0: the study truncates the network itself");
        }
        arms = nonEmpty("arms", arms);
        seeds = nonEmpty("seeds", seeds);
        fractions = nonEmpty("fractions", fractions);
        unique("arm names", arms.stream().map(StudyArm::name).toList());
        unique("seeds", seeds);
        unique("fractions", fractions);
        AnytimeNetwork net = Architectures.build(model);
        for (StudyArm arm : arms) {
            LossWeightings.create(arm.weighting(), net.headCount(), 0); // fails on an unknown name or a bad parameter
        }
        unique("arms' folder names", arms.stream().map(a -> a.folder(0)).toList());
        for (double f : fractions) {
            unitsAt(f, net);
        }
    }

    /**
     * The built-in study (v2, issue #17): ResANN n = 4, c = 8, s = 3 on Fashion-MNIST, so L = 12 units and
     * K = 4 heads exactly at 1/4, 1/2, 3/4 and 1 of the depth; 3 epochs, 3 seeds, each head's linear
     * weight decay scaled by its static weight as in the paper's code.
     */
    public static StudyConfig defaults(Path dataDir) {
        ModelConfig model = new ModelConfig("resann", 4, 8, 3, FASHION_CLASSES, FASHION);
        TrainConfig training = new TrainConfig(EPOCHS, BATCH, LR, MOMENTUM, false, WEIGHT_DECAY, SCHEDULE, 0, 1,
                VAL_SIZE, 0, CROP_PADDING, false, "const").withScaleHeadDecay(true);
        return new StudyConfig("study-fashion-mnist", model, training, DataConfig.fashionMnist(dataDir), ARMS, SEEDS,
                FRACTIONS);
    }

    /**
     * Reads a config that lists {@code arms}, or plain {@code weightings} as the first protocol's did (each
     * then an arm named by its spec, so its folders and table keys are what they were).
     */
    @com.fasterxml.jackson.annotation.JsonCreator
    static StudyConfig fromJson(@com.fasterxml.jackson.annotation.JsonProperty("name") String name,
            @com.fasterxml.jackson.annotation.JsonProperty("model") ModelConfig model,
            @com.fasterxml.jackson.annotation.JsonProperty("training") TrainConfig training,
            @com.fasterxml.jackson.annotation.JsonProperty("data") DataConfig data,
            @com.fasterxml.jackson.annotation.JsonProperty("arms") List<StudyArm> arms,
            @com.fasterxml.jackson.annotation.JsonProperty("weightings") List<String> weightings,
            @com.fasterxml.jackson.annotation.JsonProperty("seeds") List<Long> seeds,
            @com.fasterxml.jackson.annotation.JsonProperty("fractions") List<Double> fractions) {
        if (arms != null && weightings != null) {
            throw new IllegalArgumentException("give either arms or weightings, not both");
        }
        return new StudyConfig(name, model, training, data,
                arms != null ? arms : weightings == null ? null : StudyArm.of(weightings), seeds, fractions);
    }

    /** A tiny study to try the pipeline in minutes: c = 4, 1 epoch on 4000 images. */
    public static StudyConfig quick(Path dataDir) {
        ModelConfig model = new ModelConfig("resann", 4, 4, 1, FASHION_CLASSES, FASHION);
        TrainConfig training = new TrainConfig(1, 64, LR, MOMENTUM, false, WEIGHT_DECAY, SCHEDULE, 0, 1,
                500, 4000, CROP_PADDING, false, "const");
        return new StudyConfig("study-quick", model, training, DataConfig.fashionMnist(dataDir),
                StudyArm.of(QUICK_WEIGHTINGS), List.of(1L, 2L), FRACTIONS);
    }

    /** The same study with other arms, seeds and fractions (e.g. a smaller one for tests). */
    public StudyConfig with(List<StudyArm> newArms, List<Long> newSeeds, List<Double> newFractions) {
        return new StudyConfig(name, model, training, data, newArms, newSeeds, newFractions);
    }

    public StudyConfig withTraining(TrainConfig newTraining) {
        return new StudyConfig(name, model, newTraining, data, arms, seeds, fractions);
    }

    public StudyConfig withData(DataConfig newData) {
        return new StudyConfig(name, model, training, newData, arms, seeds, fractions);
    }

    /** The arms' names, in order: the keys of the study's tables. */
    public List<String> armNames() {
        return arms.stream().map(StudyArm::name).toList();
    }

    /** L, the number of units of the full network. */
    public int units() {
        return Architectures.build(model).unitCount();
    }

    /** The units kept by the OPT network for {@code fraction}. */
    public int unitsAt(double fraction) {
        return unitsAt(fraction, Architectures.build(model));
    }

    private static int unitsAt(double fraction, AnytimeNetwork net) {
        int total = net.unitCount();
        double exact = fraction * total;
        long units = Math.round(exact);
        if (!(fraction > 0 && fraction <= 1) || Math.abs(exact - units) > 1e-9) {
            throw new IllegalArgumentException("fraction " + fraction + " times L = " + total + " is not a whole"
                    + " number of units (need a fraction in (0, 1] with fraction * L an integer)");
        }
        for (int after : net.headAfterUnit()) {
            if (after == units) {
                return (int) units;
            }
        }
        throw new IllegalArgumentException("fraction " + fraction + ": unit " + units + " of " + total
                + " carries no head in the ANN (head stride s = " + net.config().s() + ")");
    }

    private static <T> List<T> nonEmpty(String field, List<T> values) {
        if (values == null || values.isEmpty() || values.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException(field + " must be a non-empty list without nulls");
        }
        return List.copyOf(values);
    }

    private static void unique(String field, List<?> values) {
        if (new HashSet<>(values).size() != values.size()) {
            throw new IllegalArgumentException(field + " has duplicates: " + values);
        }
    }

    private static final ObjectReader READER = Jsons.MAPPER.readerFor(StudyConfig.class)
            .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** Reads a study config (missing lists fail validation). Errors are one line naming the file and field. */
    public static StudyConfig load(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("study config " + file + " does not exist", e);
        }
        try {
            return READER.readValue(bytes);
        } catch (JsonProcessingException e) {
            throw new IOException("invalid study config " + file + ": " + describe(e), e);
        }
    }

    public void save(Path file) throws IOException {
        dev.anytimenn.io.AtomicFiles.writeString(file, Jsons.MAPPER.writeValueAsString(this) + "\n");
    }

    private static String describe(JsonProcessingException e) {
        String msg = e.getOriginalMessage();
        if (e instanceof ValueInstantiationException && e.getCause() != null && e.getCause().getMessage() != null) {
            msg = e.getCause().getMessage();
        } else if (e instanceof MismatchedInputException && msg != null && msg.startsWith("Missing creator property")) {
            msg = "missing field";
        }
        msg = msg == null ? "unknown error" : msg.split("\n", 2)[0].replaceAll(" ?\\(class [^)]*\\)", "").trim();
        StringBuilder path = new StringBuilder();
        if (e instanceof JsonMappingException jme) {
            for (JsonMappingException.Reference ref : jme.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
        }
        return msg + (path.length() > 0 ? " at " + path : "");
    }
}
