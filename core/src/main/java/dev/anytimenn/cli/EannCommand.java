package dev.anytimenn.cli;

import dev.anytimenn.eann.EannConfig;
import dev.anytimenn.eann.EannFolder;
import dev.anytimenn.eann.EannPlan;
import dev.anytimenn.eann.EannReport;
import dev.anytimenn.eann.EannResults;
import dev.anytimenn.train.RunQueue;
import dev.anytimenn.train.RunReuse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eann", mixinStandardHelpOptions = true,
        description = "EANN: anytime networks of exponentially growing cost run one after another.",
        subcommands = {EannCommand.Train.class, EannCommand.Eval.class})
final class EannCommand implements Runnable {

    @Override
    public void run() {
        throw new IllegalArgumentException("say 'eann train' or 'eann eval DIR' (see 'eann --help')");
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train the members, the single ANN of the largest member's size and the OPT networks into "
                    + "one EANN folder; finished runs are skipped, interrupted ones resumed.")
    static final class Train implements Callable<Integer> {

        @Mixin
        CommonOptions common;

        @Mixin
        ExperimentOptions experiment;

        @Option(names = "--members", paramLabel = "M", description = "Number of members (default: the config's, 3).")
        Integer members;

        @Option(names = "--base", paramLabel = "B", description = "Growth factor b of n between members (default 2).")
        Double base;

        @Option(names = "--weighting", paramLabel = "W",
                description = "Members' weighting, e.g. eann-sieve (default) or eann-adaloss; member 0 trains all"
                        + " its heads, without the eann- mask (sieve, adaloss).")
        String weighting;

        @Option(names = "--reuse", paramLabel = "DIR", description = "Copy finished runs with the very same "
                + "configuration from this folder (e.g. results/study-fashion-mnist) instead of training them.")
        Path reuse;

        @Override
        public Integer call() throws Exception {
            common.apply();
            EannConfig eann = experiment.choose(EannConfig::load, EannConfig::quick, EannConfig::defaults,
                    (c, folder) -> c.withData(c.data().withDir(folder)));
            if (members != null || base != null || weighting != null) {
                eann = eann.withMembers(members != null ? members : eann.members(), base != null ? base : eann.base(),
                        weighting != null ? weighting : eann.training().weighting());
            }
            Path dir = experiment.outOr(eann.name());
            Path saved = dir.resolve(EannPlan.CONFIG);
            if (Files.isRegularFile(saved) && !EannConfig.load(saved).equals(eann)) {
                throw new IOException(saved + ": this folder holds an EANN with another configuration; use another"
                        + " --out or delete " + dir);
            }
            Files.createDirectories(dir);
            eann.save(saved);
            EannPlan plan = EannPlan.of(eann);
            System.out.printf(Locale.ROOT, "EANN %s: %d members (n = %s), %d runs in %s%n", eann.name(),
                    eann.members(), plan.members().stream().map(j -> Integer.toString(j.config().model().n())).toList(),
                    plan.all().size(), dir);
            if (reuse != null) {
                reuse(plan, dir);
            }
            long start = System.nanoTime();
            new RunQueue(common.device(), common.progress(), System.out::println).run(plan.all(), dir);
            System.out.printf(Locale.ROOT, "trained in %.0f s; next: anytime eann eval %s%n",
                    (System.nanoTime() - start) / 1e9, dir);
            return 0;
        }

        private void reuse(EannPlan plan, Path dir) throws IOException {
            RunReuse finished = RunReuse.scan(reuse);
            for (EannPlan.Job job : plan.all()) {
                if (Files.exists(EannPlan.runDir(dir, job))) { // started or finished here: never overwritten
                    continue;
                }
                Optional<Path> same = finished.find(job.config());
                if (same.isPresent()) {
                    RunReuse.copy(same.get(), job.config(), EannPlan.runDir(dir, job));
                    System.out.println(job.label() + ": reused " + same.get());
                }
            }
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Write the EANN's anytime curve next to the single ANN and the OPT networks (eann.json, "
                    + "eann.md, eann.png/svg) and check the cost bound and the B/4 and B/2 guarantees.")
    static final class Eval implements Callable<Integer> {

        @Mixin
        CommonOptions common;

        @Parameters(index = "0", paramLabel = "DIR", description = "The EANN folder 'eann train' wrote.")
        Path dir;

        @Override
        public Integer call() throws Exception {
            common.apply();
            EannFolder eann = EannFolder.open(dir);
            EannResults results = EannResults.read(eann.plan(), dir);
            EannReport.write(eann.config(), results, dir);
            System.out.print(EannReport.consoleBudgets(results));
            System.out.println();
            System.out.print(EannReport.summary(results));
            System.out.println("eann.json, eann.md and eann.png in " + dir);
            return 0;
        }
    }
}
