package dev.anytimenn.eann;

import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.weighting.LossWeightings;
import dev.anytimenn.train.RunConfig;
import dev.anytimenn.train.RunQueue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The runs of an EANN folder: the members in {@code members/}, then the single ANN and the OPT
 * networks in {@code baselines/}.
 */
public record EannPlan(EannConfig config, List<Job> members, Job single, List<Job> opt) {

    public static final String CONFIG = "eann-config.json";

    /** One run; {@code relativeCost} is its MACs over the largest member's. */
    public record Job(String folder, String label, double relativeCost, RunConfig config) implements RunQueue.Job {}

    public static EannPlan of(EannConfig config) {
        long largest = cost(config.largest());
        List<Job> members = new ArrayList<>();
        for (int k = 0; k < config.members(); k++) {
            ModelConfig m = config.member(k);
            members.add(job("members/ann-" + k, "member " + k + " (n = " + m.n() + ", " + config.training().weighting()
                    + ")", m, config, config.training().weighting(), largest));
        }
        Job single = job("baselines/single-" + LossWeightings.fileName(config.singleWeighting()), "single ANN (n = " + config.largest().n()
                + ", " + config.singleWeighting() + ")", config.largest(), config, config.singleWeighting(), largest);
        List<Job> opt = new ArrayList<>();
        for (int k = 0; k < config.members() - 1; k++) {
            ModelConfig m = config.member(k);
            opt.add(job("baselines/opt-n" + m.n(), "OPT n = " + m.n(), m, config, "opt", largest));
        }
        ModelConfig big = config.largest();
        int all = Architectures.build(big).unitCount();
        for (double f : config.optFractions()) {
            int units = config.unitsAt(f);
            // the same config as the study's OPT runs (units set even when all are kept)
            opt.add(job(String.format(Locale.ROOT, "baselines/opt-n%d-units%d", big.n(), units),
                    "OPT n = " + big.n() + " cut after " + units + " of " + all + " units", big.withUnits(units), config,
                    "opt", largest));
        }
        return new EannPlan(config, members, single, dedupe(opt));
    }

    /** Every run, in training order. */
    public List<Job> all() {
        List<Job> all = new ArrayList<>(members);
        all.add(single);
        all.addAll(opt);
        return all;
    }

    public static Path runDir(Path eannDir, Job job) {
        return RunQueue.runDir(eannDir, job);
    }

    private static Job job(String folder, String label, ModelConfig model, EannConfig config, String weighting,
            long largest) {
        String name = folder.substring(folder.indexOf('/') + 1);
        RunConfig run = new RunConfig(name, model, config.training().forRun(config.training().seed(),
                weighting), config.data());
        return new Job(folder, label, (double) cost(model) / largest, run);
    }

    private static List<Job> dedupe(List<Job> jobs) {
        List<Job> out = new ArrayList<>();
        for (Job j : jobs) {
            if (out.stream().noneMatch(o -> o.folder().equals(j.folder()))) {
                out.add(j);
            }
        }
        return out;
    }

    static long cost(ModelConfig model) {
        var exits = Architectures.build(model).exitCosts();
        return exits.get(exits.size() - 1).cumulativeMacs();
    }
}
