package dev.anytimenn.cli;

import dev.anytimenn.data.DataConfig;
import dev.anytimenn.eval.report.RunReport;
import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.infer.EvaluationProtocols;
import dev.anytimenn.infer.ProtocolReports;
import dev.anytimenn.train.RunFolder;
import dev.anytimenn.train.TrainingRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a trained run on the test set and write the reports into its folder.",
                "--protocol exits: every exit's accuracy (report.json, report.md, anytime.png).",
                "--protocol anytime: accuracy of the deepest exit within each budget (anytime-protocol.*).",
                "--protocol budgeted: confidence thresholds calibrated on the validation split for a sweep of "
                        + "exit distributions, accuracy vs average MACs (budgeted.*); stores the chosen thresholds "
                        + "in thresholds.json for 'predict --calibrated'."})
final class EvalCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "RUN_DIR", description = "A run folder, or the checkpoint file inside one.")
    Path run;

    @Option(names = "--data", paramLabel = "DIR", description = "Read the data from DIR instead of the run's data folder.")
    Path data;

    @Option(names = "--protocol", description = "exits, anytime or budgeted (default: ${DEFAULT-VALUE}).")
    String protocol = "exits";

    @Option(names = "--score", description = "Confidence score for --protocol budgeted: max-softmax, entropy or margin "
            + "(default: ${DEFAULT-VALUE}).")
    String score = "max-softmax";

    @Option(names = "--target-macs", paramLabel = "MACS",
            description = "With --protocol budgeted: store the most accurate thresholds within this average cost "
                    + "(default: the cheapest within 0.3 points of the final exit).")
    Double targetMacs;

    @Override
    public Integer call() throws Exception {
        common.apply();
        RunFolder folder = RunFolder.of(run);
        DataConfig dataConfig = data == null ? null : folder.readConfig().data().withDir(data.toString());
        switch (protocol) {
            case "exits" -> {
                RunReport report = TrainingRun.evaluate(folder, dataConfig, common.device());
                TrainCommand.printSummary(report, folder);
            }
            case "anytime" -> {
                var result = EvaluationProtocols.anytime(folder, dataConfig, common.device());
                System.out.print(ProtocolReports.writeAnytime(result, folder.dir(), folder.name()));
                System.out.println("written to " + folder.dir().resolve(ProtocolReports.ANYTIME + ".md"));
            }
            case "budgeted" -> {
                var result = EvaluationProtocols.budgeted(folder, dataConfig, common.device(),
                        ConfidenceScore.parse(score), targetMacs);
                System.out.print(ProtocolReports.writeBudgeted(result, folder.dir(), folder.name()));
                System.out.println("written to " + folder.dir().resolve(ProtocolReports.BUDGETED + ".md"));
            }
            default -> throw new IllegalArgumentException("--protocol must be exits, anytime or budgeted, got '"
                    + protocol + "'");
        }
        return 0;
    }
}
