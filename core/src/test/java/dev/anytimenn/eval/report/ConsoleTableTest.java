package dev.anytimenn.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleTableTest {

    @Test
    void exitTableIsAlignedAndContainsEveryExit() {
        String table = ConsoleTable.exits(Samples.exits());
        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(2 + 4);
        assertThat(lines.get(0)).contains("Exit", "After unit", "Cumulative MMACs", "% of full cost",
                "Test accuracy", "Test error");
        assertThat(lines.get(1)).matches("-+");
        assertThat(lines).extracting(String::length).containsOnly(lines.get(0).length());
        for (int i = 0; i < 4; i++) {
            assertThat(lines.get(2 + i).trim()).startsWith(Integer.toString(i + 1) + " ");
        }
        assertThat(lines.get(2)).contains("40.000", "25.0", "61.00%");
        assertThat(lines.get(5)).contains("160.000", "100.0", "80.12%");
        // right-aligned: every row ends at the same column as the header
        assertThat(lines.get(2)).endsWith("39.00%");
    }
}
