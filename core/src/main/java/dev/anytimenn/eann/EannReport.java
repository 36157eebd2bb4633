package dev.anytimenn.eann;

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

/** Writes an EANN folder's eann.json, eann.md, eann.png and eann.svg. */
public final class EannReport {

    public static final String JSON = "eann.json";
    public static final String MARKDOWN = "eann.md";
    public static final String PNG = "eann.png";
    public static final String SVG = "eann.svg";

    /** The layout of eann.json: the curves, {@code costRatio} and the checks per budget. */
    @JsonPropertyOrder({"name", "createdAt", "costRatio", "costRatioBound", "costRatioWithinBound", "quarter", "half",
            "members", "curves", "budgets", "config"})
    public record EannJson(String name, String createdAt, double costRatio, double costRatioBound,
            boolean costRatioWithinBound, EannResults.CheckSummary quarter, EannResults.CheckSummary half,
            List<EannResults.MemberCost> members, Curves curves, List<EannResults.BudgetCheck> budgets,
            EannConfig config) {}

    public record Curves(List<EannResults.EannPoint> eann, List<EannResults.Point> single,
            List<EannResults.Point> opt) {}

    private EannReport() {}

    public static void write(EannConfig config, EannResults r, Path dir) throws IOException {
        ErrorCostPlot.write(config.name() + " (" + config.data().dataset() + ")", series(config, r),
                dir.resolve(PNG), dir.resolve(SVG));
        AtomicFiles.writeString(dir.resolve(MARKDOWN), markdown(config, r));
        EannJson json = new EannJson(config.name(), OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                r.costRatio(), r.costRatioBound(), r.costRatioWithinBound(), r.quarter(), r.half(), r.members(),
                new Curves(r.eann(), r.single(), r.opt()), r.budgets(), config);
        AtomicFiles.writeString(dir.resolve(JSON), Jsons.MAPPER.writeValueAsString(json) + "\n");
    }

    static List<ErrorCostPlot.Series> series(EannConfig config, EannResults r) {
        // the EANN holds its answer until the next exit: drawn as a staircase
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < r.eann().size(); i++) {
            EannResults.EannPoint p = r.eann().get(i);
            if (i > 0) {
                x.add(p.cumulativeMacs() / 1e6);
                y.add(y.get(y.size() - 1));
            }
            x.add(p.cumulativeMacs() / 1e6);
            y.add(100 * p.testError());
        }
        List<ErrorCostPlot.Series> series = new ArrayList<>();
        series.add(new ErrorCostPlot.Series("EANN (" + config.members() + " members, b = " + fmt(config.base()) + ")",
                array(x), array(y), true));
        series.add(points("single ANN n = " + config.largest().n() + " (" + config.singleWeighting() + ")", r.single(),
                true));
        series.add(points("OPT networks", r.opt(), false));
        return series;
    }

    private static ErrorCostPlot.Series points(String name, List<EannResults.Point> points, boolean connect) {
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            x[i] = points.get(i).macs() / 1e6;
            y[i] = 100 * points.get(i).testError();
        }
        return new ErrorCostPlot.Series(name, x, y, connect);
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The guarantees, for the terminal. */
    public static String summary(EannResults r) {
        return String.format(Locale.ROOT, "cost to the last member's final answer / its own cost: %.3f (bound b/(b-1)"
                        + " = %.3f): %s%nEANN error at B <= OPT at B/4: holds at %d of %d budgets where OPT networks"
                        + " bracket B/4%nEANN error at B <= OPT at B/2: holds at %d of %d budgets where OPT networks"
                        + " bracket B/2%n", r.costRatio(), r.costRatioBound(),
                r.costRatioWithinBound() ? "within" : "EXCEEDED", r.quarter().holds(), r.quarter().applicable(),
                r.half().holds(), r.half().applicable());
    }

    public static String consoleBudgets(EannResults r) {
        return ConsoleTable.render(budgetHeaders(), budgetRows(r));
    }

    private static List<String> budgetHeaders() {
        return List.of("Budget (MMACs)", "EANN error", "OPT at B/4", "holds", "OPT at B/2", "holds");
    }

    private static List<List<String>> budgetRows(EannResults r) {
        List<List<String>> rows = new ArrayList<>();
        for (EannResults.BudgetCheck b : r.budgets()) {
            rows.add(List.of(String.format(Locale.ROOT, "%.3f", b.budget() / 1e6), pct(b.eannError()),
                    pct(b.optErrorAtQuarter()), yesNo(b.quarterHolds()), pct(b.optErrorAtHalf()), yesNo(b.halfHolds())));
        }
        return rows;
    }

    static String markdown(EannConfig config, EannResults r) {
        StringBuilder md = new StringBuilder();
        md.append("# EANN ").append(config.name()).append("\n\n");
        md.append(String.format(Locale.ROOT, "%d members of %s (c = %d, s = %d) with n growing by b = %s from n = %d, "
                        + "trained with the weightings in the members table; %d epoch(s), seed %d, on %s. The answer"
                        + " at each exit is chosen on validation errors among the exits whose heads were trained; the"
                        + " errors below are test errors.%n%n", config.members(),
                config.model().arch(), config.model().c(), config.model().s(), fmt(config.base()), config.model().n(),
                config.training().epochs(), config.training().seed(), config.data().dataset()));
        md.append("## Guarantees\n\n").append(summary(r).replace("\n", "\n\n")).append('\n');
        md.append("## Members\n\n");
        List<List<String>> members = new ArrayList<>();
        for (EannResults.MemberCost m : r.members()) {
            members.add(List.of(m.name(), Integer.toString(m.n()), m.weighting(), mmacs(m.macs()),
                    m.growthOverPrevious() == null ? "" : String.format(Locale.ROOT, "%.2f", m.growthOverPrevious())));
        }
        md.append(MarkdownTable.render(List.of("Member", "n", "Weighting", "MMACs", "x previous"), members));
        md.append("\n## EANN anytime curve\n\n");
        List<List<String>> curve = new ArrayList<>();
        for (EannResults.EannPoint p : r.eann()) {
            curve.add(List.of("ann-" + p.member() + " exit " + p.exit(), mmacs(p.cumulativeMacs()), p.answer(),
                    pct(p.testError())));
        }
        md.append(MarkdownTable.render(List.of("Exit reached", "Cumulative MMACs", "Answer", "Test error"), curve));
        md.append("\n## Single ANN and OPT networks\n\n");
        List<List<String>> base = new ArrayList<>();
        for (EannResults.Point p : r.single()) {
            base.add(List.of(p.name(), mmacs(p.macs()), pct(p.testError())));
        }
        for (EannResults.Point p : r.opt()) {
            base.add(List.of(p.name(), mmacs(p.macs()), pct(p.testError())));
        }
        md.append(MarkdownTable.render(List.of("Network", "MMACs", "Test error"), base));
        md.append("\n## Checks per budget\n\nOPT at B/4 (B/2): the test error of OPT interpolated linearly in log MACs"
                + " between the two OPT networks whose costs bracket B/4 (B/2); blank below the cheapest OPT network"
                + " and above the dearest, where there is no OPT reference.\n\n");
        md.append(MarkdownTable.render(budgetHeaders(), budgetRows(r)));
        md.append("\n## Test error vs cost\n\n![EANN, single ANN and OPT: test error vs MMACs](").append(PNG)
                .append(")\n");
        return md.toString();
    }

    private static String mmacs(long macs) {
        return String.format(Locale.ROOT, "%.3f", macs / 1e6);
    }

    private static String pct(Double error) {
        return error == null ? "" : String.format(Locale.ROOT, "%.2f %%", 100 * error);
    }

    private static String yesNo(Boolean b) {
        return b == null ? "" : b ? "yes" : "NO";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
