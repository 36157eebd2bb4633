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
 * networks in {@code baselines/}. Member 0 trains every head ({@link #memberWeighting}).
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
            String weighting = memberWeighting(config.training().weighting(), k);
            members.add(job("members/ann-" + k, "member " + k + " (n = " + m.n() + ", " + weighting + ")", m, config,
                    weighting, largest));
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

    /**
     * The weighting member {@code k} trains with: {@code spec}, the config's, for every member after the
     * first, and for member 0 the same spec without the eann- mask ("sieve" for "eann-sieve"). The mask
     * leaves a member's first floor(K/2) heads to the previous member's final answer, which costs about
     * as much; member 0 has no previous member, so masked it would give the EANN's first answers from
     * heads that were never trained.
     */
    public static String memberWeighting(String spec, int k) {
        LossWeightings.Spec parsed = LossWeightings.parse(spec);
        return k == 0 && parsed.secondHalf() ? parsed.unmasked().canonical() : spec;
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
