package dev.anytimenn.cli;

import dev.anytimenn.data.DataConfig;
import dev.anytimenn.eval.report.RunReport;
import dev.anytimenn.train.RunFolder;
import dev.anytimenn.train.TrainingRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate every exit of a trained run on the test set and rewrite its reports.")
final class EvalCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "RUN_DIR", description = "A run folder, or the checkpoint file inside one.")
    Path run;

    @Option(names = "--data", paramLabel = "DIR", description = "Read the test set from DIR instead of the run's data folder.")
    Path data;

    @Override
    public Integer call() throws Exception {
        common.apply();
        RunFolder folder = RunFolder.of(run);
        DataConfig dataConfig = null;
        if (data != null) {
            dataConfig = new DataConfig(folder.readConfig().data().dataset(), data.toString());
        }
        RunReport report = TrainingRun.evaluate(folder, dataConfig, common.device());
        TrainCommand.printSummary(report, folder);
        return 0;
    }
}
