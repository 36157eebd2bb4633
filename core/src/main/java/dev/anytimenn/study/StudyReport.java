package dev.anytimenn.study;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.anytimenn.eval.report.ConsoleTable;
import dev.anytimenn.eval.report.ErrorCostPlot;
import dev.anytimenn.eval.report.MarkdownTable;
import dev.anytimenn.io.AtomicFiles;
import dev.anytimenn.io.Jsons;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a study's study.json, study.md, study.png and study.svg into its output folder. */
public final class StudyReport {

    public static final String JSON = "study.json";
    public static final String MARKDOWN = "study.md";
    public static final String PNG = "study.png";
    public static final String SVG = "study.svg";
    static final String OPT_SERIES = "OPT (truncated networks)";

    /** The layout of study.json. Errors are fractions, relative increases percent. */
    @JsonPropertyOrder({"name", "createdAt", "wallSeconds", "trainingSeconds", "claims",
            "relativeErrorIncreaseVsOpt", "opt", "exits", "atFractions", "geometricMeanValidationLoss", "runs",
            "config"})
    public record StudyJson(String name, String createdAt, double wallSeconds, double trainingSeconds,
            List<StudyClaims.Claim> claims,
            Map<String, Map<String, Double>> relativeErrorIncreaseVsOpt, Map<String, StudyResults.ExitStats> opt,
            Map<String, List<StudyResults.ExitStats>> exits,
            Map<String, Map<String, StudyResults.ExitStats>> atFractions,
            Map<String, List<Double>> geometricMeanValidationLoss, List<StudyResults.RunResult> runs,
            StudyConfig config) {}

    private StudyReport() {}

    /**
     * Writes the four files, study.json last, each atomically.
     *
     * @param wallSeconds wall time of the call that finished the study
     */
    public static void write(StudyConfig config, StudyResults results, double wallSeconds, Path out)
            throws IOException {
        ErrorCostPlot.write(config.name() + " (" + config.data().dataset() + ")", series(results),
                out.resolve(PNG), out.resolve(SVG));
        AtomicFiles.writeString(out.resolve(MARKDOWN), markdown(config, results));
        double training = 0;
        for (StudyResults.RunResult r : results.runs()) {
            training += r.trainingSeconds();
        }
        StudyJson json = new StudyJson(config.name(),
                OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString(), wallSeconds, training,
                results.claims(), results.relativeErrorIncreaseVsOpt(), results.opt(), results.exits(), results.atFractions(),
                results.geometricMeanValidationLoss(), results.runs(), config);
        AtomicFiles.writeString(out.resolve(JSON), Jsons.MAPPER.writeValueAsString(json) + "\n");
    }

    /**
     * Mean test error over seeds against cumulative MMACs: one curve per weighting, OPT as loose points,
     * each point with a bar from the lowest to the highest error over seeds. The ANNs' exits all sit at
     * the same costs, so each series is shifted sideways by a few tenths of a percent of the full cost
     * ({@link #DODGE_SHARE} apart) to keep the bars apart.
     */
    static List<ErrorCostPlot.Series> series(StudyResults results) {
        List<String> names = new ArrayList<>(results.exits().keySet());
        List<List<StudyResults.ExitStats>> points = new ArrayList<>(results.exits().values());
        names.add(OPT_SERIES);
        points.add(List.copyOf(results.opt().values()));
        long full = 0;
        for (List<StudyResults.ExitStats> p : points) {
            for (StudyResults.ExitStats x : p) {
                full = Math.max(full, x.cumulativeMacs());
            }
        }
        List<ErrorCostPlot.Series> series = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            double shift = (i - (names.size() - 1) / 2.0) * DODGE_SHARE * full / 1e6;
            boolean opt = i == names.size() - 1;
            series.add(series(names.get(i), points.get(i), !opt, shift));
        }
        return series;
    }

    /** Neighbouring series' shift, as a share of the full network's cost. */
    static final double DODGE_SHARE = 0.006;

    private static ErrorCostPlot.Series series(String name, List<StudyResults.ExitStats> points, boolean connect,
            double shift) {
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        double[] low = new double[points.size()];
        double[] high = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            StudyResults.ExitStats p = points.get(i);
            x[i] = p.cumulativeMacs() / 1e6 + shift;
            y[i] = 100 * p.meanTestError();
            low[i] = 100 * p.testErrors().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            high[i] = 100 * p.testErrors().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }
        return new ErrorCostPlot.Series(name, x, y, connect, List.of(), low, high);
    }

    /** Headers of the relative-increase table: "Weighting", the fractions as "1/4" ..., "mean". */
    public static List<String> relativeHeaders(StudyConfig config) {
        List<String> headers = new ArrayList<>(List.of("Weighting"));
        for (double f : config.fractions()) {
            headers.add(fractionLabel(f));
        }
        headers.add(StudyResults.MEAN);
        return headers;
    }

    /** One row per weighting: the relative increase of error over OPT in percent, then their mean. */
    public static List<List<String>> relativeRows(StudyConfig config, StudyResults results) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Map<String, Double>> e : results.relativeErrorIncreaseVsOpt().entrySet()) {
            List<String> row = new ArrayList<>(List.of(e.getKey()));
            for (double f : config.fractions()) {
                row.add(signed(e.getValue().get(StudyPlan.fractionKey(f))));
            }
            row.add(signed(e.getValue().get(StudyResults.MEAN)));
            rows.add(row);
        }
        return rows;
    }

    /** The relative-increase table for the terminal. */
    public static String consoleTable(StudyConfig config, StudyResults results) {
        StringBuilder out = new StringBuilder(ConsoleTable.render(relativeHeaders(config), relativeRows(config, results)));
        for (StudyClaims.Claim c : results.claims()) {
            out.append(String.format(Locale.ROOT, "claim %s: %s (%s)%n", c.id(),
                    c.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' '), c.reason()));
        }
        return out.toString();
    }

    static String markdown(StudyConfig config, StudyResults results) {
        StringBuilder md = new StringBuilder();
        md.append("# Study ").append(config.name()).append("\n\n");
        md.append(String.format(Locale.ROOT, "%s %s, n = %d, c = %d, s = %d (L = %d units) on %s; %d epoch(s), "
                        + "seeds %s. OPT at a fraction f is the same network cut after f L units, trained on its "
                        + "last head only.%n%n", config.model().arch(), "ANN", config.model().n(), config.model().c(),
                config.model().s(), config.units(), config.data().dataset(), config.training().epochs(),
                config.seeds()));
        md.append(claimsMarkdown(results.claims(), config.seeds().size()));
        md.append("## Relative % increase in error vs OPT\n\n");
        md.append("100 (err - err_OPT) / err_OPT of the mean test errors over seeds, at each fraction of the depth; "
                + "mean: of the fractions.\n\n");
        md.append(MarkdownTable.render(relativeHeaders(config), relativeRows(config, results)));

        md.append("\n## Test error (%), mean ± std over seeds\n\n");
        List<String> headers = new ArrayList<>(List.of("Weighting"));
        for (double f : config.fractions()) {
            headers.add(fractionLabel(f));
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Map<String, StudyResults.ExitStats>> e : results.atFractions().entrySet()) {
            List<String> row = new ArrayList<>(List.of(e.getKey()));
            for (double f : config.fractions()) {
                row.add(meanStd(e.getValue().get(StudyPlan.fractionKey(f))));
            }
            rows.add(row);
        }
        List<String> optRow = new ArrayList<>(List.of("OPT"));
        for (double f : config.fractions()) {
            optRow.add(meanStd(results.opt().get(StudyPlan.fractionKey(f))));
        }
        rows.add(optRow);
        md.append(MarkdownTable.render(headers, rows));

        md.append("\n## Geometric mean over exits of the validation losses, per epoch (mean over seeds)\n\n");
        int epochs = 0;
        for (List<Double> g : results.geometricMeanValidationLoss().values()) {
            epochs = Math.max(epochs, g.size());
        }
        List<String> geoHeaders = new ArrayList<>(List.of("Weighting"));
        for (int e = 1; e <= epochs; e++) {
            geoHeaders.add("epoch " + e);
        }
        List<List<String>> geoRows = new ArrayList<>();
        for (Map.Entry<String, List<Double>> e : results.geometricMeanValidationLoss().entrySet()) {
            List<String> row = new ArrayList<>(List.of(e.getKey()));
            for (int i = 0; i < epochs; i++) {
                row.add(i < e.getValue().size() ? fixed(e.getValue().get(i), 4) : "n/a");
            }
            geoRows.add(row);
        }
        md.append(MarkdownTable.render(geoHeaders, geoRows));
        md.append("\n## Test error vs cost\n\nMean over seeds; the bars run from the lowest to the highest seed."
                + " Series are shifted sideways by ").append(fixed(100 * DODGE_SHARE, 1))
                .append(" % of the full cost from each other so that their bars do not overlap.\n\n")
                .append("![mean test error vs cumulative MMACs](").append(PNG).append(")\n");
        return md.toString();
    }

    /**
     * The "Claims (pre-registered)" section: the verdicts, then every comparison's per-seed numbers;
     * empty when the study has no claim's arms.
     */
    static String claimsMarkdown(List<StudyClaims.Claim> claims, int seeds) {
        if (claims.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("## Claims (pre-registered)\n\n");
        md.append("As registered before the runs (results/study-fashion-mnist/README.md). Per seed: A - B, the"
                + " difference in test error (percentage points), and McNemar's exact two-sided test on the test"
                + " images (b: A right and B wrong, c: the opposite). A claim is supported only if A is lower in"
                + " every seed with p < ").append(StudyClaims.ALPHA).append(" in every seed, contradicted if A"
                + " is higher in every seed with p < ").append(StudyClaims.ALPHA).append(" in every seed, and"
                + " otherwise not supported; \"not significantly higher\" holds unless it would be contradicted."
                + " The paired t-test over the ").append(seeds).append(" seed(s) is reported, not used.\n\n");
        List<List<String>> verdicts = new ArrayList<>();
        for (StudyClaims.Claim c : claims) {
            verdicts.add(List.of(c.id() + ". " + c.statement(), c.verdict().name().replace('_', ' '), c.reason()));
        }
        md.append(MarkdownTable.render(List.of("Claim", "Verdict", "Reason"), verdicts)).append('\n');
        List<List<String>> rows = new ArrayList<>();
        for (StudyClaims.Claim c : claims) {
            for (StudyClaims.Comparison cmp : c.comparisons()) {
                String what = cmp.label() + (cmp.expectation() == StudyClaims.Expectation.NOT_HIGHER
                        ? " (A not significantly higher)" : " (A lower)");
                if (cmp.verdict() == StudyClaims.Verdict.NOT_JUDGED) {
                    continue; // the verdicts table says what is missing
                }
                double sumA = 0;
                double sumB = 0;
                for (StudyClaims.SeedRow r : cmp.seeds()) {
                    rows.add(List.of(c.id(), what, Long.toString(r.seed()), fixed(r.errorPercentA(), 2),
                            fixed(r.errorPercentB(), 2), String.format(Locale.ROOT, "%+.2f", r.differencePoints()),
                            Integer.toString(r.b()), Integer.toString(r.c()), StudyClaims.formatP(r.mcNemarP()), ""));
                    sumA += r.errorPercentA();
                    sumB += r.errorPercentB();
                }
                int n = cmp.seeds().size();
                rows.add(List.of(c.id(), what, "mean", fixed(sumA / n, 2), fixed(sumB / n, 2),
                        String.format(Locale.ROOT, "%+.2f", cmp.meanDifferencePoints()), "", "",
                        cmp.pairedTP() == null ? "paired t: n/a" : "paired t: " + StudyClaims.formatP(cmp.pairedTP()),
                        cmp.verdict().name().replace('_', ' ')));
            }
        }
        if (!rows.isEmpty()) {
            md.append(MarkdownTable.render(List.of("Claim", "A vs B at exit", "Seed", "A error (%)", "B error (%)",
                    "A - B (points)", "b", "c", "McNemar p", "Verdict"), rows)).append('\n');
        }
        return md.toString();
    }

    private static String meanStd(StudyResults.ExitStats s) {
        String mean = fixed(100 * s.meanTestError(), 2);
        return s.stdTestError() == null ? mean : mean + " ± " + fixed(100 * s.stdTestError(), 2);
    }

    private static String signed(Double percent) {
        return percent == null ? "n/a" : String.format(Locale.ROOT, "%+.1f", percent);
    }

    private static String fixed(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "n/a";
    }

    /** A fraction as people write it: 0.25 as "1/4", 1.0 as "1"; otherwise its key. */
    public static String fractionLabel(double f) {
        for (int q = 1; q <= 16; q++) {
            long p = Math.round(f * q);
            if (Math.abs(f * q - p) < 1e-9) {
                return q == 1 ? Long.toString(p) : p + "/" + q;
            }
        }
        return StudyPlan.fractionKey(f);
    }
}
