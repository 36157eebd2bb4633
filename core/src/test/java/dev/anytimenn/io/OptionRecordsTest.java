package dev.anytimenn.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionRecordsTest {

    record Knobs(@JsonPropertyDescription("how many") int count, @JsonPropertyDescription("how much") double rate,
            @JsonPropertyDescription("on or off") boolean on, List<Integer> factors) {

        static final Knobs DEFAULTS = new Knobs(2, 0.5, false, List.of(1, 2));

        Knobs {
            if (count < 1) {
                throw new IllegalArgumentException("count must be at least 1, got " + count);
            }
            factors = List.copyOf(factors);
        }
    }

    private static JsonNode json(String text) throws Exception {
        return Jsons.MAPPER.readTree(text);
    }

    @Test
    void readsOverTheDefaultsAndWritesBack() throws Exception {
        Knobs k = OptionRecords.read(Knobs.DEFAULTS, json("{\"rate\": 2, \"factors\": [3, 4, 5]}"));
        assertThat(k).isEqualTo(new Knobs(2, 2.0, false, List.of(3, 4, 5)));
        assertThat(k.factors().get(0)).isInstanceOf(Integer.class);
        assertThat(OptionRecords.read(Knobs.DEFAULTS, null)).isEqualTo(Knobs.DEFAULTS);
        assertThat(OptionRecords.read(k, OptionRecords.toJson(Knobs.DEFAULTS))).isEqualTo(Knobs.DEFAULTS);
        assertThat(OptionRecords.toJson(k).toString()).isEqualTo("{\"count\":2,\"rate\":2.0,\"on\":false,\"factors\":[3,4,5]}");
        assertThat(OptionRecords.changedText(k, Knobs.DEFAULTS)).isEqualTo("rate=2.0,factors=3,4,5");
        assertThat(OptionRecords.changedText(Knobs.DEFAULTS, Knobs.DEFAULTS)).isEmpty();
    }

    @Test
    void parsesNameValueTextByTheOptionsTypes() {
        List<String> assignments = OptionRecords.splitAssignments("count=3, factors=[1,2,4],on=true,rate=1e-3");
        assertThat(assignments).containsExactly("count=3", " factors=[1,2,4]", "on=true", "rate=1e-3");
        Knobs k = OptionRecords.read(Knobs.DEFAULTS, OptionRecords.parse(Knobs.DEFAULTS, assignments));
        assertThat(k).isEqualTo(new Knobs(3, 1e-3, true, List.of(1, 2, 4)));
        assertThat(OptionRecords.read(Knobs.DEFAULTS, OptionRecords.parse(Knobs.DEFAULTS, List.of("factors=7"))).factors())
                .containsExactly(7);
        assertThat(OptionRecords.splitAssignments(" ")).isEmpty();
    }

    @Test
    void everyProblemNamesTheOption() throws Exception {
        assertThatThrownBy(() -> OptionRecords.read(Knobs.DEFAULTS, json("{\"size\": 1}")))
                .hasMessage("unknown 'size'; choose from count, rate, on, factors");
        assertThatThrownBy(() -> OptionRecords.read(Knobs.DEFAULTS, json("{\"count\": 2.5}")))
                .hasMessage("count must be a whole number, got 2.5");
        assertThatThrownBy(() -> OptionRecords.read(Knobs.DEFAULTS, json("{\"count\": \"3\"}")))
                .hasMessage("count must be a whole number, got \"3\"");
        assertThatThrownBy(() -> OptionRecords.read(Knobs.DEFAULTS, json("{\"count\": 0}")))
                .hasMessage("count must be at least 1, got 0");
        assertThatThrownBy(() -> OptionRecords.read(Knobs.DEFAULTS, json("{\"factors\": 3}")))
                .hasMessage("factors must be a list, got 3");
        assertThatThrownBy(() -> OptionRecords.read(Knobs.DEFAULTS, json("[1]"))).hasMessageContaining("object");
        assertThatThrownBy(() -> OptionRecords.parse(Knobs.DEFAULTS, List.of("count")))
                .hasMessage("'count' is not NAME=VALUE with NAME one of count, rate, on, factors");
        assertThatThrownBy(() -> OptionRecords.parse(Knobs.DEFAULTS, List.of("on=yes")))
                .hasMessage("on must be true or false, got 'yes'");
        assertThatThrownBy(() -> OptionRecords.parse(Knobs.DEFAULTS, List.of("factors=1,x")))
                .hasMessage("factors must be a whole number, got 'x'");
        assertThatThrownBy(() -> OptionRecords.parse(Knobs.DEFAULTS, List.of("rate=fast")))
                .hasMessage("rate must be a number, got 'fast'");
    }

    @Test
    void describesEveryOptionForHelp() {
        List<OptionRecords.Described> options = OptionRecords.describe(Knobs.DEFAULTS);
        assertThat(options).extracting(OptionRecords.Described::line).containsExactly(
                "count=INT: how many (default 2)", "rate=NUMBER: how much (default 0.5)",
                "on=true|false: on or off (default false)", "factors=INT,INT,... (default 1,2)");
    }
}
