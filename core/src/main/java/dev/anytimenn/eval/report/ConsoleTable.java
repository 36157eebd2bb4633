package dev.anytimenn.eval.report;

import java.util.ArrayList;
import java.util.List;

/** Plain-text, space-aligned tables for the terminal. */
public final class ConsoleTable {

    /** Column headers shared with the Markdown exit table. */
    static final List<String> EXIT_HEADERS = List.of(
            "Exit", "After unit", "Cumulative MMACs", "% of full cost", "Test accuracy", "Test error");

    private ConsoleTable() {
    }

    /** Cells of the exit table, one row per exit (formatted like the Markdown report). */
    static List<List<String>> exitRows(List<ExitResult> exits) {
        long full = exits.isEmpty() ? 0 : exits.get(exits.size() - 1).cumulativeMacs();
        List<List<String>> rows = new ArrayList<>(exits.size());
        for (ExitResult e : exits) {
            rows.add(List.of(
                    Integer.toString(e.index()),
                    Integer.toString(e.afterUnit()),
                    Fmt.mmacs(e.cumulativeMacs()),
                    Fmt.percentOf(e.cumulativeMacs(), full),
                    Fmt.percent(e.testAccuracy()),
                    Fmt.percent(e.testError())));
        }
        return rows;
    }

    /**
     * The exits as an aligned table: header, dashed rule, one right-aligned row per exit.
     * "% of full cost" is relative to the last exit. No trailing newline.
     */
    public static String exits(List<ExitResult> exits) {
        return render(EXIT_HEADERS, exitRows(exits));
    }

    /** Renders any table: columns separated by two spaces, every cell right-aligned, each line ended. */
    public static String render(List<String> headers, List<List<String>> rows) {
        int[] width = new int[headers.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = headers.get(c).length();
        }
        for (List<String> row : rows) {
            if (row.size() != width.length) {
                throw new IllegalArgumentException("row has " + row.size() + " cells, expected "
                        + width.length + ": " + row);
            }
            for (int c = 0; c < width.length; c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, headers, width);
        sb.append('\n');
        int total = 0;
        for (int w : width) {
            total += w;
        }
        sb.append("-".repeat(total + 2 * (width.length - 1)));
        sb.append('\n');
        for (List<String> row : rows) {
            appendRow(sb, row, width);
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] width) {
        for (int c = 0; c < width.length; c++) {
            if (c > 0) {
                sb.append("  ");
            }
            String s = cells.get(c);
            sb.append(" ".repeat(width[c] - s.length())).append(s);
        }
    }
}
