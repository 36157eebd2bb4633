package dev.anytimenn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.anytimenn.io.Jsons;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The networks the default configurations build are the ones recorded in default-networks.json from the
 * code before the architectures owned their options: the same parameter names and shapes in the same
 * order, the same MACs per unit and exit, and, from the same seed, the same initial values (so the same
 * initialisation order). Values are compared to a relative 1e-5, the engine's random numbers being
 * the same on every CPU only up to rounding. The recording predates issue #17, which moved the He
 * initialisation of convolutions from fan-out to fan-in: the same draws scaled by
 * sqrt(fan-out / fan-in) = sqrt(out channels / in channels), which the comparison applies.
 */
class DefaultNetworksTest {

    @Test
    void defaultConfigurationsBuildTheRecordedNetworks() throws Exception {
        JsonNode recorded;
        try (InputStream in = DefaultNetworksTest.class.getResourceAsStream("default-networks.json")) {
            recorded = Jsons.MAPPER.readTree(in);
        }
        Map<String, ModelConfig> configs = NetworkFingerprints.configs();
        assertThat(iterable(recorded.fieldNames())).containsExactlyElementsOf(configs.keySet());
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Map.Entry<String, ModelConfig> e : configs.entrySet()) {
                JsonNode want = recorded.get(e.getKey());
                NetworkFingerprints.Print got = NetworkFingerprints.of(e.getValue(), manager);
                assertThat(json(got.exits())).as(e.getKey() + " exits").isEqualTo(want.get("exits").toString());
                assertThat(json(got.stepMacs())).as(e.getKey() + " step MACs")
                        .isEqualTo(want.get("stepMacs").toString());
                JsonNode params = want.get("parameters");
                assertThat(got.parameters()).as(e.getKey() + " parameter count").hasSize(params.size());
                for (int i = 0; i < params.size(); i++) {
                    NetworkFingerprints.ParameterPrint p = got.parameters().get(i);
                    JsonNode w = params.get(i);
                    String what = e.getKey() + " parameter " + i;
                    assertThat(p.name()).as(what).isEqualTo(w.get("name").asText());
                    assertThat(json(p.shape())).as(what + " shape").isEqualTo(w.get("shape").toString());
                    double scale = fanInRescale(w.get("shape"));
                    for (int k = 0; k < p.first().length; k++) {
                        double v = scale * w.get("first").get(k).asDouble();
                        assertThat((double) p.first()[k]).as(what + " value " + k).isCloseTo(v, within(1e-5 * Math.abs(v) + 1e-7));
                    }
                    double sum = scale * w.get("sumAbs").asDouble();
                    assertThat(p.sumAbs()).as(what + " sum of |values|").isCloseTo(sum, within(1e-5 * sum + 1e-7));
                }
            }
        }
    }

    /** A convolution kernel (out, in, kh, kw) recorded with fan-out He init: its values times sqrt(out / in). */
    private static double fanInRescale(JsonNode shape) {
        return shape.size() == 4 ? Math.sqrt(shape.get(0).asDouble() / shape.get(1).asDouble()) : 1.0;
    }

    /** Compact JSON, as a recorded node prints itself. */
    private static String json(Object value) {
        return Jsons.MAPPER.valueToTree(value).toString();
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
