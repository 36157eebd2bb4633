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

@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Compare loss weightings with OPT networks (the paper's relative error increase): trains every "
                + "run of the study, skipping finished ones, then writes study.json, study.md and study.png.")
final class StudyCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    ExperimentOptions experiment;

    @Override
    public Integer call() throws Exception {
        common.apply();
        StudyConfig study = experiment.choose(StudyConfig::load, StudyConfig::quick, StudyConfig::defaults,
                (c, folder) -> c.withData(c.data().withDir(folder)));
        Path dir = experiment.outOr(study.name());
        StudyPlan plan = StudyPlan.of(study);
        System.out.printf(Locale.ROOT, "study %s: %d runs in %s%n", study.name(), plan.runs().size(), dir);
        long start = System.nanoTime();
        new RunQueue(common.device(), common.progress(), System.out::println).run(plan.runs(),
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
