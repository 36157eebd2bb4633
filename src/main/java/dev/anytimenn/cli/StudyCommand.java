package dev.anytimenn.cli;

import dev.anytimenn.study.StudyConfig;
import dev.anytimenn.study.StudyPlan;
import dev.anytimenn.study.StudyReport;
import dev.anytimenn.study.StudyResults;
import dev.anytimenn.train.RunQueue;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Compare loss weightings with OPT networks (the paper's relative error increase): trains every "
                + "run of the study, skipping finished ones, then writes study.json, study.md and study.png.")
final class StudyCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--config", paramLabel = "FILE", description = "Study config JSON (default: the built-in study).")
    Path config;

    @Option(names = "--quick", description = "A tiny study (c = 4, 1 epoch on 4000 images, a few minutes) to try the pipeline.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Study folder (default: results/study-fashion-mnist, or runs/study-quick with --quick).")
    Path out;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder with the data set's files "
            + "(default: the config's, else /usr/share/datasets/fashion-mnist).")
    Path data;

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (config != null && quick) {
            throw new IllegalArgumentException("--config and --quick exclude each other");
        }
        StudyConfig study;
        if (config != null) {
            study = StudyConfig.load(config);
            if (data != null) {
                study = study.withData(study.data().withDir(data.toString()));
            }
        } else {
            study = quick ? StudyConfig.quick(data) : StudyConfig.defaults(data);
        }
        Path dir = out != null ? out : Path.of(quick ? "runs/study-quick" : "results/study-fashion-mnist");
        StudyPlan plan = StudyPlan.of(study);
        System.out.printf(Locale.ROOT, "study %s: %d runs in %s%n", study.name(), plan.runs().size(), dir);
        long start = System.nanoTime();
        new RunQueue(common.device(), new ConsoleProgress(System.out), System.out::println).run(plan.runs(),
                StudyPlan.runsDir(dir));
        StudyResults results = StudyResults.read(plan, dir);
        StudyReport.write(study, results, (System.nanoTime() - start) / 1e9, dir);
        System.out.println();
        System.out.println("relative % increase in test error vs OPT:");
        System.out.print(StudyReport.consoleTable(study, results));
        System.out.println("study.json, study.md and study.png in " + dir);
        return 0;
    }
}
