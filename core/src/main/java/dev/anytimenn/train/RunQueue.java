package dev.anytimenn.train;

import ai.djl.Device;
import dev.anytimenn.data.DataFormatException;
import dev.anytimenn.data.MissingDataException;
import dev.anytimenn.eval.report.ReportFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Trains a list of runs, each in {@code <root>/<folder>/}. A folder with a report.json is done and
 * skipped, one with only a checkpoint is resumed, so a stopped queue continues where it was. Studies
 * and EANNs are such queues.
 */
public final class RunQueue {

    /** One run of a queue. */
    public interface Job {
        /** Folder under the queue's root (may contain '/'). */
        String folder();

        /** For progress lines, e.g. "adaloss seed 2". */
        String label();

        /** The run's cost relative to the others (e.g. units / L), to estimate the time left. */
        double relativeCost();

        RunConfig config();
    }

    /** How many runs one call trained, resumed and skipped. */
    public record Outcome(int trained, int resumed, int skipped) {}

    private final Device device;
    private final TrainingListener listener;
    private final Consumer<String> progress;

    public RunQueue(Device device, TrainingListener listener, Consumer<String> progress) {
        this.device = device;
        this.listener = listener;
        this.progress = progress;
    }

    public static Path runDir(Path root, Job job) {
        return root.resolve(job.folder());
    }

    public static boolean isDone(Path root, Job job) {
        return Files.isRegularFile(runDir(root, job).resolve(ReportFiles.JSON));
    }

    public Outcome run(List<? extends Job> jobs, Path root)
            throws IOException, MissingDataException, DataFormatException {
        int n = jobs.size();
        double remainingCost = 0;
        for (Job job : jobs) {
            remainingCost += isDone(root, job) ? 0 : job.relativeCost();
        }
        // seconds per unit of relative cost, measured on the runs trained by this call
        double measuredSeconds = 0;
        double measuredCost = 0;
        int trained = 0;
        int resumed = 0;
        int skipped = 0;
        for (int i = 0; i < n; i++) {
            Job job = jobs.get(i);
            String head = "[" + (i + 1) + "/" + n + "] " + job.label();
            RunFolder folder = new RunFolder(runDir(root, job));
            checkSameConfig(folder, job.config());
            if (isDone(root, job)) {
                skipped++;
                progress.accept(head + " already done, skipped");
                continue;
            }
            boolean resume = folder.hasCheckpoint();
            progress.accept(head + (resume ? ": resuming from its checkpoint; " : ": training; ")
                    + eta(remainingCost, measuredSeconds, measuredCost));
            long start = System.nanoTime();
            if (resume) {
                resumed++;
                TrainingRun.resume(folder, device, listener);
            } else {
                trained++;
                TrainingRun.train(job.config(), folder, device, listener);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            measuredSeconds += seconds;
            measuredCost += job.relativeCost();
            remainingCost -= job.relativeCost();
            String eta = remainingCost <= 1e-9 ? "all done" : eta(remainingCost, measuredSeconds, measuredCost);
            progress.accept(String.format(Locale.ROOT, "%s done in %.0f s; %s", head, seconds, eta));
        }
        return new Outcome(trained, resumed, skipped);
    }

    /** A folder trained with another config would silently mix two experiments; refuse instead. */
    private static void checkSameConfig(RunFolder folder, RunConfig planned) throws IOException {
        if (Files.isRegularFile(folder.config()) && !folder.readConfig().equals(planned)) {
            throw new IOException(folder.config() + ": this run was started with another configuration than the"
                    + " one planned now; use another output folder or delete " + folder.dir());
        }
    }

    /** The time left at the pace of the runs trained so far (unknown before the first). */
    private static String eta(double remainingCost, double measuredSeconds, double measuredCost) {
        return measuredCost > 0 ? "ETA " + duration(remainingCost * measuredSeconds / measuredCost)
                : "ETA after the first run";
    }

    static String duration(double seconds) {
        if (seconds < 60) {
            return "< 1 min";
        }
        long minutes = Math.round(seconds / 60);
        return minutes < 120 ? minutes + " min" : String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
}
