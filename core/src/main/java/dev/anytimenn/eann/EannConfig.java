package dev.anytimenn.eann;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anytimenn.data.DataConfig;
import dev.anytimenn.io.AtomicFiles;
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
import java.util.ArrayList;
import java.util.List;

/**
 * An EANN and what it is compared with: members ANN_0..ANN_{m-1} of one architecture whose
 * {@code n} grows by the factor {@code base} (so their cost grows by about {@code base}), a single
 * ANN of the largest member's size, and OPT networks at several depths: every member's size, and
 * the largest member cut at {@code optFractions} of its units.
 *
 * <p>Members after the first train with the recipe's weighting, usually eann-&lt;scheme&gt;: their first
 * floor(K/2) heads weigh 0, as the previous member's final answer covers them. Member 0 has no previous
 * member and trains with the same scheme unmasked (e.g. sieve), so the EANN's first answers come from
 * trained heads ({@link EannPlan#memberWeighting}).
 *
 * @param model member 0's network ({@code units} must be 0)
 * @param training the recipe of every run; its weighting is the members' (e.g. "eann-sieve"; member 0
 *     trains without the eann- mask)
 * @param singleWeighting the weighting of the single ANN compared with the EANN
 */
public record EannConfig(String name, ModelConfig model, int members, double base, TrainConfig training,
        String singleWeighting, List<Double> optFractions, DataConfig data) {

    public static final String DEFAULT_WEIGHTING = "eann-sieve";

    public EannConfig {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        if (model == null || training == null || data == null) {
            throw new IllegalArgumentException("model, training and data are required");
        }
        if (model.units() != 0) {
            throw new IllegalArgumentException("model.units must be 0: members are whole networks");
        }
        if (members < 1) {
            throw new IllegalArgumentException("members must be at least 1, got " + members);
        }
        if (!(base > 1) || !Double.isFinite(base)) {
            throw new IllegalArgumentException("base must be a number > 1, got " + base);
        }
        optFractions = optFractions == null ? List.of() : List.copyOf(optFractions);
        for (double f : optFractions) {
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException("optFractions must be in (0, 1], got " + f);
            }
        }
        int k = Architectures.build(model).headCount();
        LossWeightings.create(training.weighting(), k, 0); // fails on an unknown name or a bad parameter
        LossWeightings.create(singleWeighting, k, 0);
        List<Integer> ns = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            int n = memberN(model.n(), base, i);
            if (!ns.isEmpty() && n <= ns.get(ns.size() - 1)) {
                throw new IllegalArgumentException("base " + base + " from n = " + model.n() + " gives members with n "
                        + ns + ", " + n + ": n must grow; use a larger base or n");
            }
            ns.add(n);
        }
    }

    /** n of member {@code k}: round(n_0 b^k). */
    static int memberN(int n0, double base, int k) {
        return (int) Math.round(n0 * Math.pow(base, k));
    }

    /** The network of member {@code k}. */
    public ModelConfig member(int k) {
        return withN(model, memberN(model.n(), base, k));
    }

    private static ModelConfig withN(ModelConfig model, int n) {
        return model.withOptions(Jsons.MAPPER.createObjectNode().put("n", n));
    }

    public ModelConfig largest() {
        return member(members - 1);
    }

    /** The units the largest member keeps for an OPT fraction (rounded; at least 1). */
    public int unitsAt(double fraction) {
        AnytimeNetwork net = Architectures.build(largest());
        return (int) Math.max(1, Math.round(fraction * net.unitCount()));
    }

    // The default EANN, written out rather than taken from StudyConfig.defaults: the study's network may
    // change (a head stride s = 3 would leave member 0, n = 1 and 3 units, a single head) while the EANN
    // keeps its own. These are the values the committed results/eann-fashion-mnist was trained with.
    static final String DEFAULT_NAME = "eann-fashion-mnist";
    static final int DEFAULT_C = 8;
    static final int DEFAULT_S = 1;
    static final int DEFAULT_MEMBERS = 3;
    static final double DEFAULT_BASE = 2.0;
    static final int EPOCHS = 2;
    static final int BATCH = 128;
    static final double LR = 0.1;
    static final double MOMENTUM = 0.9;
    static final double WEIGHT_DECAY = 1e-4;
    static final String SCHEDULE = "cosine";
    static final int VAL_SIZE = 5000;
    static final int CROP_PADDING = 0;
    static final long SEED = 1;
    static final String DEFAULT_SINGLE = "adaloss";
    static final List<Double> DEFAULT_FRACTIONS = List.of(0.25, 0.5, 0.75, 1.0);
    /** The quick EANN trains a few dozen steps: with the default U = 100 AdaLoss would never update. */
    static final String QUICK_SINGLE = "adaloss:updateEvery=8";

    private static final InputShape FASHION = new InputShape(1, 28, 28);
    private static final int FASHION_CLASSES = 10;

    /**
     * The default EANN on Fashion-MNIST: ResANN c = 8, s = 1 with n = 1, 2, 4 (b = 2), so 3, 6 and 12
     * heads; members trained with eann-sieve (member 0 with sieve: {@link EannPlan#memberWeighting}),
     * 2 epochs, batch 128, lr 0.1 cosine, momentum 0.9, weight decay 1e-4, 5000 validation images, no
     * crops, seed 1; the single ANN with AdaLoss; OPT cuts at 1/4, 1/2, 3/4 and all of the largest
     * member. While the study's network and recipe are these too (n = 4), {@code --reuse} takes the
     * single ANN and the OPT cuts from a finished study; otherwise they are trained.
     */
    public static EannConfig defaults(Path dataDir) {
        ModelConfig first = new ModelConfig("resann", 1, DEFAULT_C, DEFAULT_S, FASHION_CLASSES, FASHION);
        TrainConfig training = new TrainConfig(EPOCHS, BATCH, LR, MOMENTUM, false, WEIGHT_DECAY, SCHEDULE, 0, SEED,
                VAL_SIZE, 0, CROP_PADDING, false, DEFAULT_WEIGHTING);
        return new EannConfig(DEFAULT_NAME, first, DEFAULT_MEMBERS, DEFAULT_BASE, training, DEFAULT_SINGLE,
                DEFAULT_FRACTIONS, DataConfig.fashionMnist(dataDir));
    }

    /** A tiny EANN to try the pipeline in a minute or two: c = 4, 1 epoch on 2000 images. */
    public static EannConfig quick(Path dataDir) {
        ModelConfig first = new ModelConfig("resann", 1, 4, DEFAULT_S, FASHION_CLASSES, FASHION);
        TrainConfig small = new TrainConfig(1, 64, LR, MOMENTUM, false, WEIGHT_DECAY, SCHEDULE, 0, SEED, 500, 2000,
                CROP_PADDING, false, DEFAULT_WEIGHTING);
        return new EannConfig("eann-quick", first, DEFAULT_MEMBERS, DEFAULT_BASE, small, QUICK_SINGLE,
                List.of(0.5, 1.0), DataConfig.fashionMnist(dataDir));
    }

    public EannConfig withMembers(int newMembers, double newBase, String weighting) {
        return new EannConfig(name, model, newMembers, newBase, training.forRun(training.seed(), weighting),
                singleWeighting, optFractions, data);
    }

    public EannConfig withData(DataConfig newData) {
        return new EannConfig(name, model, members, base, training, singleWeighting, optFractions, newData);
    }

    private static final ObjectReader READER = Jsons.MAPPER.readerFor(EannConfig.class)
            .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /**
     * Reads an EANN config; errors are one line naming the file. In a config written before weightings
     * carried their parameters, the recipe's AdaLoss options applied to the single ANN's weighting too;
     * they go into its spec as into the recipe's ({@link LossWeightings#withLegacyAdaLoss}).
     */
    public static EannConfig load(Path file) throws IOException {
        try {
            JsonNode tree = Jsons.MAPPER.readTree(Files.readAllBytes(file));
            JsonNode single = tree.get("singleWeighting");
            if (tree instanceof ObjectNode object && single != null && single.isTextual()) {
                object.put("singleWeighting", LossWeightings.withLegacyAdaLoss(single.textValue(),
                        tree.path("training").get("adaLoss")));
            }
            return READER.readValue(tree);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid EANN config " + file + ": training." + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new IOException(file + " does not exist: not an EANN folder (run 'anytime eann train' first)", e);
        } catch (JsonProcessingException e) {
            String cause = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                    : e.getOriginalMessage();
            throw new IOException("invalid EANN config " + file + ": " + cause.split("\n", 2)[0], e);
        }
    }

    public void save(Path file) throws IOException {
        AtomicFiles.writeString(file, Jsons.MAPPER.writeValueAsString(this) + "\n");
    }
}
