package dev.anytimenn.study;

import dev.anytimenn.train.RunConfig;
import dev.anytimenn.train.RunQueue;
import dev.anytimenn.train.TrainConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every run of a study, in the order they are trained: per seed the OPT networks (shallow first),
 * then one ANN per weighting, so a study stopped half way already holds whole seeds.
 */
public record StudyPlan(StudyConfig config, List<PlannedRun> runs) {

    /** Weighting of the OPT runs: one loss, on the last head of the truncated network. */
    public static final String OPT = "opt";
    public static final String RUNS = "runs";

    /**
     * One run of the plan.
     *
     * @param folder stable folder name under {@code runs/}, also the run's name
     * @param arm the ANN arm's name ({@link StudyArm#name()}), or {@link #OPT}
     * @param fraction depth fraction of an OPT run; 1 for an ANN
     * @param units units of the trained network
     * @param relativeCost units / L, to estimate the time left
     */
    public record PlannedRun(String folder, String arm, long seed, double fraction, int units,
            double relativeCost, RunConfig config) implements RunQueue.Job {

        public boolean isOpt() {
            return OPT.equals(arm);
        }

        /** For progress lines, e.g. "adaloss seed 2" or "opt 0.25 seed 1". */
        @Override
        public String label() {
            return (isOpt() ? OPT + " " + fractionKey(fraction) : arm) + " seed " + seed;
        }
    }

    public StudyPlan {
        runs = List.copyOf(runs);
    }

    public static StudyPlan of(StudyConfig config) {
        int total = config.units();
        List<PlannedRun> runs = new ArrayList<>();
        for (long seed : config.seeds()) {
            for (double f : config.fractions()) {
                int units = config.unitsAt(f);
                String folder = OPT + "-" + fractionKey(f) + "-seed" + seed;
                runs.add(run(config, folder, OPT, seed, f, units, total,
                        config.training().forRun(seed, OPT).withDistill(null)));
            }
            for (StudyArm arm : config.arms()) {
                runs.add(run(config, arm.folder(seed), arm.name(), seed, 1.0, 0, total,
                        arm.recipe(config.training(), seed)));
            }
        }
        return new StudyPlan(config, runs);
    }

    private static PlannedRun run(StudyConfig config, String folder, String arm, long seed, double fraction,
            int units, int total, TrainConfig training) {
        // units 0 keeps the ANN's model config identical to the study's
        RunConfig run = new RunConfig(folder, config.model().withUnits(units), training, config.data());
        int trained = units == 0 ? total : units;
        return new PlannedRun(folder, arm, seed, fraction, trained, (double) trained / total, run);
    }

    /**
     * The study's ANN arms, whose runs are {@code arm.folder(seed)}.
     */
    public List<StudyArm> arms() {
        return config.arms();
    }

    /** The folder of a study's runs. */
    public static Path runsDir(Path out) {
        return out.resolve(RUNS);
    }

    /** A run's folder in the study folder {@code out}. */
    public static Path runDir(Path out, PlannedRun run) {
        return RunQueue.runDir(runsDir(out), run);
    }

    /** The key of a fraction in folder names and JSON: "0.25", "0.5", "0.75", "1.0". */
    public static String fractionKey(double fraction) {
        return Double.toString(fraction);
    }

    public double totalCost() {
        double sum = 0;
        for (PlannedRun r : runs) {
            sum += r.relativeCost();
        }
        return sum;
    }
}
