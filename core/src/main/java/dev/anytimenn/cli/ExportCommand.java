package dev.anytimenn.cli;

import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.onnx.NetworkGraphs;
import dev.anytimenn.onnx.OnnxFiles;
import dev.anytimenn.store.ModelFile;
import dev.anytimenn.store.ModelStore;
import dev.anytimenn.store.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a trained network from a run folder, a checkpoint or a model file, in one or more formats:",
                "model: the deployable model file (" + RunFiles.MODEL + ": parameters as safetensors under DJL's names, "
                        + "with architecture, classes, normalisation, exit costs and any calibrated thresholds);",
                "onnx: " + OnnxFiles.WHOLE + " (every exit's logits), segment-k.onnx per exit (stop between exits) and "
                        + OnnxFiles.DESCRIPTION + "; opset 17, raw pixels in (normalisation inside the graph);",
                "safetensors: " + ExportCommand.SAFETENSORS + ", the model file with PyTorch-style parameter names, "
                        + "which interop/torch_anytime.py loads."})
final class ExportCommand implements Callable<Integer> {

    static final String SAFETENSORS = "anytime.safetensors";
    private static final List<String> FORMATS = List.of("model", "onnx", "safetensors");

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "MODEL", description = "A run folder, the checkpoint file inside one, or a model file.")
    Path source;

    @Option(names = "--format", split = ",", paramLabel = "FORMAT", description = "model, onnx or safetensors; "
            + "several with commas (default: model).")
    List<String> formats = new ArrayList<>(List.of("model"));

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write into (created when "
            + "missing).")
    Path out;

    @Override
    public Integer call() throws Exception {
        common.threads = 1; // no compute to speak of: reading, checking and writing parameters
        common.apply();
        Set<String> chosen = new LinkedHashSet<>();
        for (String f : formats) {
            String format = f.trim().toLowerCase(Locale.ROOT);
            if (!FORMATS.contains(format)) {
                throw new IllegalArgumentException("--format: unknown format '" + f + "'; choose from "
                        + String.join(", ", FORMATS));
            }
            chosen.add(format);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file, not a folder");
        }
        try (AnytimeModel model = AnytimeModel.open(source, common.device())) {
            ModelFile d = model.description();
            // refused before anything is written when the network has no ONNX form
            NetworkGraphs graphs = chosen.contains("onnx") ? NetworkGraphs.of(model.network(), d) : null;
            Files.createDirectories(out);
            ExitCost last = d.exits().get(d.exits().size() - 1);
            System.out.printf(Locale.ROOT, "%s %s, input %s, %d classes, %d exits (%.3f MMACs at the last)%s%n",
                    d.architecture(), d.options(), d.input(), d.classNames().size(), d.exits().size(),
                    last.cumulativeMacs() / 1e6, d.thresholds() == null ? "" : ", calibrated thresholds");
            for (String format : chosen) {
                switch (format) {
                    case "model" -> {
                        Path target = out.resolve(RunFiles.MODEL);
                        model.export(target);
                        System.out.println("wrote " + target);
                    }
                    case "safetensors" -> {
                        Path target = out.resolve(SAFETENSORS);
                        ModelStore.write(target, d, model.network(), ModelStore.Naming.PYTORCH);
                        System.out.println("wrote " + target + " (PyTorch-style names)");
                    }
                    case "onnx" -> {
                        for (Path written : OnnxFiles.write(out, graphs)) {
                            System.out.println("wrote " + written);
                        }
                    }
                    default -> throw new IllegalStateException(format);
                }
            }
        }
        return 0;
    }
}
