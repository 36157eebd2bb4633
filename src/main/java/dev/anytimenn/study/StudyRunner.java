package dev.anytimenn.study;

import ai.djl.Device;
import dev.anytimenn.data.DataFormatException;
import dev.anytimenn.data.MissingDataException;
import dev.anytimenn.eval.report.ReportFiles;
import dev.anytimenn.train.RunConfig;
import dev.anytimenn.train.RunFolder;
import dev.anytimenn.train.TrainingListener;
import dev.anytimenn.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Trains the runs of a plan in {@code <out>/runs/<folder>/}. A folder with a report.json is done
 * and skipped, one with only a checkpoint is resumed, so a stopped study continues where it was.
 */
public final class StudyRunner {

    public static final String RUNS = "runs";

    /** How many runs this call trained, resumed and skipped. */
    public record Outcome(int trained, int resumed, int skipped) {}

    private final Device device;
    private final TrainingListener listener;
    private final Consumer<String> progress;

    public StudyRunner(Device device, TrainingListener listener, Consumer<String> progress) {
        this.device = device;
        this.listener = listener;
        this.progress = progress;
    }

    public static Path runDir(Path out, StudyPlan.PlannedRun run) {
        return out.resolve(RUNS).resolve(run.folder());
    }

    public static boolean isDone(Path out, StudyPlan.PlannedRun run) {
        return Files.isRegularFile(runDir(out, run).resolve(ReportFiles.JSON));
    }

    public Outcome run(StudyPlan plan, Path out) throws IOException, MissingDataException, DataFormatException {
        int n = plan.runs().size();
        double remainingCost = 0;
        for (StudyPlan.PlannedRun r : plan.runs()) {
            remainingCost += isDone(out, r) ? 0 : r.relativeCost();
        }
        // seconds per unit of relative cost, measured on the runs trained by this call
        double measuredSeconds = 0;
        double measuredCost = 0;
        int trained = 0;
        int resumed = 0;
        int skipped = 0;
        for (int i = 0; i < n; i++) {
            StudyPlan.PlannedRun run = plan.runs().get(i);
            String head = "[" + (i + 1) + "/" + n + "] " + run.label();
            RunFolder folder = new RunFolder(runDir(out, run));
            checkSameConfig(folder, run.config());
            if (isDone(out, run)) {
                skipped++;
                progress.accept(head + " already done, skipped");
                continue;
            }
            long start = System.nanoTime();
            if (folder.hasCheckpoint()) {
                resumed++;
                progress.accept(head + ": resuming from its checkpoint");
                TrainingRun.resume(folder, device, listener);
            } else {
                trained++;
                TrainingRun.train(run.config(), folder, device, listener);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            measuredSeconds += seconds;
            measuredCost += run.relativeCost();
            remainingCost -= run.relativeCost();
            String eta = remainingCost <= 1e-9 ? "study complete"
                    : "ETA " + duration(remainingCost * measuredSeconds / measuredCost);
            progress.accept(String.format(Locale.ROOT, "%s done in %.0f s; %s", head, seconds, eta));
        }
        return new Outcome(trained, resumed, skipped);
    }

    /** A folder trained with another config would silently mix two studies; refuse instead. */
    private static void checkSameConfig(RunFolder folder, RunConfig planned) throws IOException {
        if (Files.isRegularFile(folder.config()) && !folder.readConfig().equals(planned)) {
            throw new IOException(folder.config() + ": this run was started with another configuration than the"
                    + " study's; use another --out folder or delete " + folder.dir());
        }
    }

    static String duration(double seconds) {
        if (seconds < 60) {
            return "< 1 min";
        }
        long minutes = Math.round(seconds / 60);
        return minutes < 120 ? minutes + " min" : String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
}
