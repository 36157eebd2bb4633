package dev.anytimenn.cli;

import dev.anytimenn.data.DataConfig;
import dev.anytimenn.eval.EvaluationProtocols;
import dev.anytimenn.eval.ProtocolReports;
import dev.anytimenn.eval.report.RunReport;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.infer.InferenceEngine;
import dev.anytimenn.train.RunConfig;
import dev.anytimenn.train.RunFolder;
import dev.anytimenn.train.TrainingRun;
import java.nio.file.Files;
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
                        + "in thresholds.json (and the run's model file) for 'predict --calibrated'."})
final class EvalCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    EngineOptions engineOptions;

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
        RunConfig config = folder.readConfig();
        DataConfig dataConfig = data == null ? config.data() : config.data().withDir(data.toString());
        InferenceEngine engine = engineOptions.engine(common.threads);
        switch (protocol) {
            case "exits" -> {
                if (!(engine instanceof InferenceEngine.Djl)) {
                    throw new IllegalArgumentException("--protocol exits rewrites the training report with DJL; "
                            + "--engine " + engine.cliName() + " runs --protocol anytime and budgeted");
                }
                RunReport report = TrainingRun.evaluate(folder, data == null ? null : dataConfig, common.device());
                TrainCommand.printSummary(report, folder);
            }
            case "anytime" -> {
                try (AnytimeModel model = AnytimeModel.open(folder.dir(), common.device())) {
                    var result = EvaluationProtocols.anytime(model, dataConfig.loadTest(), engine);
                    System.out.print(ProtocolReports.writeAnytime(result, folder.dir(), folder.name()));
                }
                System.out.println("written to " + folder.dir().resolve(ProtocolReports.ANYTIME + ".md"));
            }
            case "budgeted" -> {
                ConfidenceScore confidence = ConfidenceScore.parse(score);
                if (config.training().valSize() == 0 && dataConfig.loadValidation().isEmpty()) {
                    throw new IllegalArgumentException(folder.dir() + ": the run has no validation split (--val-size 0), "
                            + "so there is nothing to calibrate thresholds on");
                }
                var validation = TrainingRun.trainingData(
                        new RunConfig(config.name(), config.model(), config.training(), dataConfig)).validation();
                try (AnytimeModel model = AnytimeModel.open(folder.dir(), common.device())) {
                    var result = EvaluationProtocols.budgeted(model, validation, dataConfig.loadTest(), confidence,
                            targetMacs, engine);
                    System.out.print(ProtocolReports.writeBudgeted(result, folder.dir(), folder.name()));
                    if (Files.isRegularFile(folder.modelFile())) {
                        model.export(folder.modelFile(), result.thresholds());
                    }
                }
                System.out.println("written to " + folder.dir().resolve(ProtocolReports.BUDGETED + ".md"));
            }
            default -> throw new IllegalArgumentException("--protocol must be exits, anytime or budgeted, got '"
                    + protocol + "'");
        }
        return 0;
    }
}
