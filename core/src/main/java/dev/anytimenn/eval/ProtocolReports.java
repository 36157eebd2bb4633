package dev.anytimenn.eval;

import dev.anytimenn.eval.report.ConsoleTable;
import dev.anytimenn.eval.report.ErrorCostPlot;
import dev.anytimenn.eval.report.MarkdownTable;
import dev.anytimenn.io.AtomicFiles;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.store.RunFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Tables, JSON and plots of the evaluation protocols, written into the run folder. */
public final class ProtocolReports {

    public static final String ANYTIME = RunFiles.ANYTIME_PROTOCOL_BASE;
    public static final String BUDGETED = RunFiles.BUDGETED_PROTOCOL_BASE;

    private ProtocolReports() {}

    /** Writes anytime-protocol.{json,md,png,svg}; returns the table for the terminal. */
    public static String writeAnytime(EvaluationProtocols.AnytimeProtocol result, Path runDir, String title)
            throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (AnytimeCurve.Point p : result.curve()) {
            rows.add(List.of(mmacs(p.budgetMacs()), p.exit() == 0 ? "none" : Integer.toString(p.exit()),
                    percent(p.accuracy())));
        }
        String table = ConsoleTable.render(List.of("Budget (MMACs)", "Exit", "Test accuracy"), rows);
        AtomicFiles.writeString(runDir.resolve(ANYTIME + ".json"), Jsons.MAPPER.writeValueAsString(result) + "\n");
        String md = "# Anytime protocol: " + title + "\n\n"
                + "Every test image is cut at the same budget and answered by the deepest exit within it "
                + "(no exit within the budget counts as wrong).\n\n"
                + MarkdownTable.render(List.of("Budget (MMACs)", "Exit", "Test accuracy"), rows)
                + "\n![anytime protocol](" + ANYTIME + ".png)\n";
        AtomicFiles.writeString(runDir.resolve(ANYTIME + ".md"), md);
        int n = result.curve().size();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = result.curve().get(i).budgetMacs() / 1e6;
            y[i] = 100 * (1 - result.curve().get(i).accuracy());
        }
        ErrorCostPlot.write("anytime protocol: " + title,
                List.of(new ErrorCostPlot.Series("deepest exit within budget", x, y, true),
                        exitsSeries(result.cumulativeMacs(), result.exitAccuracy())),
                runDir.resolve(ANYTIME + ".png"), runDir.resolve(ANYTIME + ".svg"));
        return table;
    }

    /** Writes budgeted.{json,md,png,svg} and thresholds.json; returns the table for the terminal. */
    public static String writeBudgeted(EvaluationProtocols.BudgetedProtocol result, Path runDir, String title)
            throws IOException {
        List<String> headers = new ArrayList<>(List.of("q", "Avg MMACs", "% of full", "Test accuracy"));
        int exits = result.cumulativeMacs().length;
        for (int k = 1; k <= exits; k++) {
            headers.add("exit " + k);
        }
        double full = result.cumulativeMacs()[exits - 1];
        List<List<String>> rows = new ArrayList<>();
        for (BudgetedBatch.Outcome o : result.sweep()) {
            List<String> row = new ArrayList<>(List.of(String.format(Locale.ROOT, "%.3f", o.q()),
                    mmacs(o.averageMacs()), String.format(Locale.ROOT, "%.1f", 100 * o.averageMacs() / full),
                    percent(o.accuracy())));
            for (double f : o.exitFractions()) {
                row.add(String.format(Locale.ROOT, "%.1f%%", 100 * f));
            }
            rows.add(row);
        }
        String table = ConsoleTable.render(headers, rows);
        BudgetedBatch.Outcome c = result.chosen();
        String summary = String.format(Locale.ROOT,
                "Final exit alone: %s at %s MMACs. Stored thresholds (%s, score %s, q = %.3f): %s at an average of "
                        + "%s MMACs (%.1f %% of the final exit's cost).",
                percent(result.exitAccuracy()[exits - 1]), mmacs(full), result.choice(), result.score().cliName(), c.q(),
                percent(c.accuracy()), mmacs(c.averageMacs()), 100 * c.averageMacs() / full);
        AtomicFiles.writeString(runDir.resolve(BUDGETED + ".json"), Jsons.MAPPER.writeValueAsString(result) + "\n");
        String md = "# Budgeted batch protocol: " + title + "\n\n"
                + "Thresholds on the confidence score (" + result.score().cliName() + ") are calibrated on the "
                + "validation split so that the fraction of images leaving at exit k follows q(1-q)^(k-1), "
                + "normalised; each row is evaluated on the test set. Exit columns: fraction of test images "
                + "answered there.\n\n" + summary + "\n\n" + MarkdownTable.render(headers, rows)
                + "\n![budgeted batch](" + BUDGETED + ".png)\n";
        AtomicFiles.writeString(runDir.resolve(BUDGETED + ".md"), md);
        int n = result.sweep().size();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = result.sweep().get(i).averageMacs() / 1e6;
            y[i] = 100 * (1 - result.sweep().get(i).accuracy());
        }
        ErrorCostPlot.write("budgeted batch: " + title,
                List.of(new ErrorCostPlot.Series("confidence exits (average cost)", x, y, true),
                        exitsSeries(result.cumulativeMacs(), result.exitAccuracy())),
                runDir.resolve(BUDGETED + ".png"), runDir.resolve(BUDGETED + ".svg"));
        new CalibratedThresholds(result.thresholds(), c.q(), c.accuracy(), c.averageMacs(), result.choice())
                .write(runDir);
        return table + summary + "\n";
    }

    private static ErrorCostPlot.Series exitsSeries(long[] costs, double[] accuracy) {
        double[] x = new double[costs.length];
        double[] y = new double[costs.length];
        List<String> labels = new ArrayList<>();
        for (int k = 0; k < costs.length; k++) {
            x[k] = costs[k] / 1e6;
            y[k] = 100 * (1 - accuracy[k]);
            labels.add(Integer.toString(k + 1));
        }
        return new ErrorCostPlot.Series("every sample at exit k", x, y, false, labels);
    }

    private static String mmacs(double macs) {
        return String.format(Locale.ROOT, "%.3f", macs / 1e6);
    }

    private static String percent(double accuracy) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * accuracy);
    }
}
