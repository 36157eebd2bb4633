package dev.anytimenn.cli;

import dev.anytimenn.eval.report.ConsoleTable;
import dev.anytimenn.eval.report.RunReport;
import dev.anytimenn.train.RunConfig;
import dev.anytimenn.train.RunFolder;
import dev.anytimenn.train.TrainingRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an anytime network, checkpoint every epoch, evaluate every exit on the test set.")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    TrainOptions options;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the run in RUN_DIR from its last checkpoint (its config.json is used).")
    Path resume;

    @Override
    public Integer call() throws Exception {
        common.apply();
        RunReport report;
        RunFolder folder;
        if (resume != null) {
            folder = RunFolder.of(resume);
            System.out.println("resuming " + folder.dir());
            report = TrainingRun.resume(folder, common.device(), common.progress());
        } else {
            RunConfig config = options.runConfig();
            folder = options.runFolder(config.name());
            report = train(config, folder, common);
        }
        printSummary(report, folder);
        return 0;
    }

    static RunReport train(RunConfig config, RunFolder folder, CommonOptions common) throws Exception {
        System.out.println("run folder: " + folder.dir());
        return TrainingRun.train(config, folder, common.device(), common.progress());
    }

    static void printSummary(RunReport report, RunFolder folder) {
        System.out.println();
        System.out.printf("test set: %d images; training took %.0f s%n", report.testImages(), report.trainingSeconds());
        System.out.print(ConsoleTable.exits(report.exits()));
        System.out.println("reports, plot, config and checkpoint in " + folder.dir());
    }
}
