package dev.anytimenn.eval.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Objects;

/**
 * Everything a finished run reports; serialised as {@code report.json}.
 *
 * @param name            run name
 * @param createdAt       creation timestamp (ISO-8601 recommended)
 * @param dataset         dataset name
 * @param testImages      number of test images the exits were evaluated on
 * @param config          the exact run configuration as a JSON object ({@code null} becomes {@code {}})
 * @param exits           per-exit results in exit order; at least one
 * @param history         per-epoch training summaries ({@code null} becomes empty)
 * @param trainingSeconds total training wall-clock seconds
 */
@JsonPropertyOrder({"name", "createdAt", "dataset", "testImages", "config", "exits", "history",
        "trainingSeconds"})
public record RunReport(String name, String createdAt, String dataset, int testImages,
                        JsonNode config, List<ExitResult> exits, List<EpochSummary> history,
                        double trainingSeconds) {

    public RunReport {
        Objects.requireNonNull(name, "name");
        config = config == null || config.isNull() ? JsonNodeFactory.instance.objectNode() : config;
        Objects.requireNonNull(exits, "exits");
        if (exits.isEmpty()) {
            throw new IllegalArgumentException("a run report needs at least one exit");
        }
        exits = List.copyOf(exits);
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** Cost of the full network: the last exit's cumulative MACs; not serialised. */
    @JsonIgnore
    public long fullCostMacs() {
        return exits.get(exits.size() - 1).cumulativeMacs();
    }
}
