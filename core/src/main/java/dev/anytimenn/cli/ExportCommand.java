package dev.anytimenn.cli;

import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.store.RunFiles;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the deployable model file (" + RunFiles.MODEL + ": parameters as safetensors, with "
                + "architecture, classes, normalisation, exit costs and any calibrated thresholds) from a run folder, "
                + "a checkpoint or another model file.")
final class ExportCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "RUN_DIR", description = "A run folder, the checkpoint file inside one, or a model file.")
    Path source;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write "
            + RunFiles.MODEL + " into (created when missing).")
    Path out;

    @Override
    public Integer call() throws Exception {
        common.threads = 1; // no compute to speak of: reading, checking and writing parameters
        common.apply();
        Path target = out.resolve(RunFiles.MODEL);
        try (AnytimeModel model = AnytimeModel.open(source, common.device())) {
            model.export(target);
            var d = model.description();
            ExitCost last = d.exits().get(d.exits().size() - 1);
            System.out.printf(Locale.ROOT, "wrote %s: %s %s, input %s, %d classes, %d exits (%.3f MMACs at the last)%s%n",
                    target, d.architecture(), d.options(), d.input(), d.classNames().size(), d.exits().size(),
                    last.cumulativeMacs() / 1e6, d.thresholds() == null ? "" : ", calibrated thresholds");
        }
        return 0;
    }
}
