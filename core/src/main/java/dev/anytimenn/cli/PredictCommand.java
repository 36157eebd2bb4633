package dev.anytimenn.cli;

import dev.anytimenn.data.ImageFiles;
import dev.anytimenn.eval.report.ConsoleTable;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.AnytimePredictor;
import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.infer.InferenceEngine;
import dev.anytimenn.infer.Prediction;
import dev.anytimenn.infer.StoppingRule;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.model.InputShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify images with a trained anytime network under a cost budget, a deadline or a "
                + "confidence rule (default: run every unit). Uses 1 engine thread unless --threads is given.")
final class PredictCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    EngineOptions engineOptions;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model file (or a folder holding one), a run folder, or the "
            + "checkpoint file inside one.")
    Path run;

    @Option(names = "--input", arity = "1..*", paramLabel = "FILE", description = "PNG or JPEG images.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--idx", paramLabel = "FILE", description = "An IDX image file (with --index).")
    Path idx;

    @Option(names = "--index", arity = "1..*", paramLabel = "N", description = "0-based image numbers in --idx.")
    List<Integer> indices = new ArrayList<>();

    @Option(names = "--invert", description = "Invert PNG/JPEG images (dark objects on a light background).")
    boolean invert;

    @ArgGroup(exclusive = true)
    Rule rule = new Rule();

    static final class Rule {
        @Option(names = "--budget-macs", paramLabel = "MACS", description = "Deepest exit within this many MACs.")
        Long budgetMacs;

        @Option(names = "--deadline-ms", paramLabel = "MS", description = "Latest exit reachable within MS ms.")
        Double deadlineMs;

        @Option(names = "--confidence", paramLabel = "T",
                description = "First exit whose confidence score reaches T (see --score).")
        Double confidence;

        @Option(names = "--calibrated", description = "First exit passing the thresholds stored by "
                + "'eval --protocol budgeted' (thresholds.json).")
        boolean calibrated;
    }

    @Option(names = "--score", description = "Score for --confidence: max-softmax, entropy or margin "
            + "(default: ${DEFAULT-VALUE}).")
    String score = "max-softmax";

    @Option(names = "--json", description = "One JSON object per input instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // Single images are latency-bound: a second intra-op thread doubled the median step time and
        // gave millisecond tails at batch 1 (bench/results/inference-threads*.json).
        if (!spec.commandLine().getParseResult().hasMatchedOption("--threads")) {
            common.threads = 1;
        }
        common.apply();
        if (inputs.isEmpty() && idx == null) {
            throw new IllegalArgumentException("give images with --input FILE... or --idx FILE --index N");
        }
        if (idx != null && indices.isEmpty()) {
            throw new IllegalArgumentException("--idx needs --index N (0-based image number)");
        }
        InferenceEngine engine = engineOptions.engine(common.threads);
        try (AnytimeModel model = AnytimeModel.open(run, common.device())) {
            AnytimePredictor predictor = model.predictor(engine);
            InputShape shape = model.inputShape();
            List<String> names = new ArrayList<>();
            List<byte[]> images = new ArrayList<>();
            for (Path input : inputs) {
                names.add(input.toString());
                images.add(ImageFiles.read(input, shape.channels(), shape.height(), shape.width(), invert));
            }
            for (int index : indices) {
                byte[] pixels = ImageFiles.readIdx(idx, index);
                if (pixels.length != shape.channels() * shape.height() * shape.width()) {
                    throw new IllegalArgumentException(idx + ": images of " + pixels.length + " pixels do not fit the "
                            + "model's input " + shape);
                }
                names.add(idx + "[" + index + "]");
                images.add(pixels);
            }
            StoppingRule stop = stoppingRule(model);
            List<Prediction> predictions = new ArrayList<>();
            for (byte[] image : images) {
                predictions.add(predictor.predict(image, stop));
            }
            print(names, predictions);
        }
        return 0;
    }

    private StoppingRule stoppingRule(AnytimeModel model) throws Exception {
        if (rule.budgetMacs != null) {
            return new StoppingRule.CostBudget(rule.budgetMacs);
        }
        if (rule.deadlineMs != null) {
            return StoppingRule.Deadline.ofMillis(rule.deadlineMs);
        }
        if (rule.confidence != null) {
            return StoppingRule.Confidence.atEveryExit(ConfidenceScore.parse(score), rule.confidence,
                    model.exitCosts().size());
        }
        if (rule.calibrated) {
            return new StoppingRule.Confidence(model.calibratedThresholds());
        }
        return new StoppingRule.RunAll();
    }

    private void print(List<String> names, List<Prediction> predictions) throws Exception {
        if (json) {
            for (int i = 0; i < predictions.size(); i++) {
                Prediction p = predictions.get(i);
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("input", names.get(i));
                o.put("label", p.label());
                o.put("probabilities", p.probabilities());
                o.put("exit", p.exit());
                o.put("macs", p.macs());
                o.put("elapsedMs", p.elapsedMs());
                System.out.println(Jsons.MAPPER.copy().disable(
                        com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(o));
            }
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < predictions.size(); i++) {
            Prediction p = predictions.get(i);
            rows.add(List.of(names.get(i), p.answered() ? Integer.toString(p.label()) : "none",
                    p.answered() ? String.format(Locale.ROOT, "%.3f", p.probabilities()[p.label()]) : "-",
                    p.answered() ? Integer.toString(p.exit()) : "none (not reached in time)",
                    String.format(Locale.ROOT, "%.3f", p.macs() / 1e6),
                    String.format(Locale.ROOT, "%.2f", p.elapsedMs())));
        }
        System.out.print(ConsoleTable.render(List.of("Input", "Label", "Probability", "Exit", "MMACs", "ms"), rows));
    }
}
