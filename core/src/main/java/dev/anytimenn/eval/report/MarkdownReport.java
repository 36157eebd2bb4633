package dev.anytimenn.eval.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.anytimenn.io.Jsons;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Renders a {@link RunReport} as the human-readable {@code report.md}. */
public final class MarkdownReport {

    private static final List<String> HISTORY_HEADERS = List.of(
            "Epoch", "Train loss", "LR", "Time (s)", "img/s", "Val accuracy per exit (%)", "Weights");

    private MarkdownReport() {
    }

    /**
     * The Markdown text. {@code plotFile} is the image embedded under the tables (relative to the
     * Markdown file), or {@code null} for none.
     */
    public static String render(RunReport r, String plotFile) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(oneLine(r.name())).append(" — ").append(oneLine(r.dataset()))
                .append(", ").append(r.testImages()).append(" test images\n\n");
        if (r.createdAt() != null) {
            md.append("- Created: ").append(oneLine(r.createdAt())).append('\n');
        }
        md.append("- Exits: ").append(r.exits().size()).append('\n');
        md.append("- Full cost: ").append(Fmt.mmacs(r.fullCostMacs())).append(" MMACs\n");
        md.append("- Training time: ").append(Fmt.fixed(r.trainingSeconds(), 1)).append(" s\n\n");

        md.append("## Exits\n\n");
        md.append(MarkdownTable.render(ConsoleTable.EXIT_HEADERS, ConsoleTable.exitRows(r.exits())));
        md.append('\n');
        if (plotFile != null) {
            md.append("![anytime](").append(plotFile).append(")\n\n");
        }

        md.append("## Training history\n\n");
        if (r.history().isEmpty()) {
            md.append("_No training history recorded._\n\n");
        } else {
            List<List<String>> rows = r.history().stream().map(h -> List.of(
                    Integer.toString(h.epoch()),
                    Fmt.fixed(h.trainLoss(), 4),
                    Fmt.sig3(h.learningRate()),
                    Fmt.fixed(h.seconds(), 1),
                    Fmt.fixed(h.imagesPerSecond(), 0),
                    Fmt.list(h.validationAccuracy(), 100.0, 1),
                    Fmt.list(h.weights(), 1.0, 3))).toList();
            md.append(MarkdownTable.render(HISTORY_HEADERS, rows));
            md.append('\n');
        }

        md.append("## Config\n\n");
        String json;
        try {
            json = Jsons.MAPPER.writeValueAsString(r.config());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        String fence = fenceFor(json);
        md.append(fence).append("json\n").append(json).append('\n').append(fence).append('\n');
        return md.toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    /** A backtick fence longer than any backtick run in the content. */
    private static String fenceFor(String content) {
        int longest = 0;
        Matcher m = Pattern.compile("`+").matcher(content);
        while (m.find()) {
            longest = Math.max(longest, m.end() - m.start());
        }
        return "`".repeat(Math.max(3, longest + 1));
    }
}
