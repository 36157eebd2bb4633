package dev.anytimenn.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LossWeightingsTest {

    private static LossWeighting make(String spec, int heads) {
        return LossWeightings.create(spec, heads, AdaLossOptions.DEFAULTS, 1L);
    }

    @Test
    void names() {
        assertThat(LossWeightings.names())
                .containsExactly("const", "linear", "half-end", "sieve", "oscillating", "adaloss", "opt:J",
                        "eann-<scheme>");
    }

    @Test
    void everyName() {
        assertThat(make("const", 4)).isInstanceOf(ConstWeighting.class);
        assertThat(make("linear", 4)).isInstanceOf(LinearWeighting.class);
        assertThat(make("half-end", 4)).isInstanceOf(HalfEndWeighting.class);
        assertThat(make("sieve", 4)).isInstanceOf(SieveWeighting.class);
        assertThat(make("oscillating", 4)).isInstanceOf(OscillatingWeighting.class);
        assertThat(make("adaloss", 4)).isInstanceOf(AdaLossWeighting.class);
        assertThat(make("opt", 4)).isInstanceOf(OptWeighting.class);
        assertThat(make("opt:2", 4)).isInstanceOf(OptWeighting.class);
        for (String spec : new String[] {"const", "linear", "half-end", "sieve", "oscillating",
                "adaloss", "opt", "opt:2"}) {
            LossWeighting w = make(spec, 4);
            assertThat(w.name()).isEqualTo(spec);
            assertThat(w.heads()).isEqualTo(4);
            assertThat(w.weights(0)).hasSize(4);
        }
    }

    @Test
    void optHeads() {
        assertThat(make("opt", 6).weights(0)).containsExactly(0, 0, 0, 0, 0, 1);
        assertThat(make("opt:1", 6).weights(0)).containsExactly(1, 0, 0, 0, 0, 0);
        assertThat(make("opt:6", 6).weights(0)).containsExactly(0, 0, 0, 0, 0, 1);
    }

    @Test
    void passesOptionsAndSeed() {
        AdaLossOptions o = new AdaLossOptions(0.5, 0.2, 7, 1.0);
        AdaLossWeighting a = (AdaLossWeighting) LossWeightings.create("adaloss", 3, o, 0);
        assertThat(a.options()).isEqualTo(o);
        assertThat(((AdaLossWeighting) LossWeightings.create("adaloss", 3, null, 0)).options())
                .isEqualTo(AdaLossOptions.DEFAULTS);
        LossWeighting osc = LossWeightings.create("oscillating", 8, null, 99);
        OscillatingWeighting ref = new OscillatingWeighting(8, 99);
        for (long t = 0; t < 50; t++) {
            assertThat(osc.weights(t)).containsExactly(ref.weights(t));
        }
    }

    @Test
    void caseInsensitive() {
        assertThat(make("AdaLoss", 3)).isInstanceOf(AdaLossWeighting.class);
        assertThat(make("HALF-END", 3).name()).isEqualTo("half-end");
        assertThat(make(" Sieve ", 3)).isInstanceOf(SieveWeighting.class);
        assertThat(make("OPT:2", 3).weights(0)).containsExactly(0, 1, 0);
    }

    @Test
    void unknownName() {
        assertThatThrownBy(() -> make("foo", 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown weighting 'foo'; choose one of: "
                        + "const, linear, half-end, sieve, oscillating, adaloss, opt:J, eann-<scheme>");
        assertThatThrownBy(() -> make("", 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("choose one of");
        assertThatThrownBy(() -> make(null, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optOutOfRange() {
        assertThatThrownBy(() -> make("opt:9", 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("opt:9 names head 9 but the network has 6 heads");
        assertThatThrownBy(() -> make("opt:0", 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1-based");
    }

    @Test
    void badArguments() {
        assertThatThrownBy(() -> make("opt:x", 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("opt:x")
                .hasMessageContaining("choose one of");
        assertThatThrownBy(() -> make("opt:", 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> make("const:3", 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes no");
        assertThatThrownBy(() -> make("sieve", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heads");
    }
}
