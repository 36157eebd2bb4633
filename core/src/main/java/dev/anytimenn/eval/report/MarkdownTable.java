package dev.anytimenn.eval.report;

import java.util.List;

/** A Markdown table: the first column (names) left-aligned, the rest (numbers) right-aligned. */
public final class MarkdownTable {

    private MarkdownTable() {
    }

    public static String render(List<String> headers, List<List<String>> rows) {
        StringBuilder md = new StringBuilder("| ").append(String.join(" | ", headers)).append(" |\n|");
        for (int i = 0; i < headers.size(); i++) {
            md.append(i == 0 ? ":---|" : "---:|");
        }
        md.append('\n');
        for (List<String> row : rows) {
            md.append("| ").append(String.join(" | ", row.stream().map(MarkdownTable::cell).toList()))
                    .append(" |\n");
        }
        return md.toString();
    }

    /** A pipe inside a cell would end it. */
    private static String cell(String s) {
        return s.replace("|", "\\|");
    }
}
