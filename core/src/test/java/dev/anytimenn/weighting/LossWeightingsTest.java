package dev.anytimenn.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LossWeightingsTest {

    private static LossWeighting make(String spec, int heads) {
        return LossWeightings.create(spec, heads, 1L);
    }

    @Test
    void names() {
        assertThat(LossWeightings.names())
                .containsExactly("const", "linear", "half-end", "sieve", "oscillating", "adaloss", "opt",
                        "eann-<scheme>");
        // help lists each scheme's parameters from its parameters record
        assertThat(LossWeightings.help()).hasSize(8);
        assertThat(LossWeightings.help().get(5)).startsWith("adaloss: ").contains("mu=NUMBER", "gamma=NUMBER",
                "updateEvery=INT", "finalBonus=NUMBER", "(default 100)");
        assertThat(LossWeightings.help().get(0)).startsWith("const: ").doesNotContain("parameters");
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
    void passesParametersAndSeed() {
        AdaLossWeighting a = (AdaLossWeighting) LossWeightings.create(
                "adaloss:mu=0.5,gamma=0.2,updateEvery=7,finalBonus=1", 3, 0);
        assertThat(a.options()).isEqualTo(new AdaLossOptions(0.5, 0.2, 7, 1.0));
        assertThat(a.name()).isEqualTo("adaloss:mu=0.5,gamma=0.2,updateEvery=7,finalBonus=1.0");
        AdaLossWeighting some = (AdaLossWeighting) LossWeightings.create("AdaLoss: gamma = 0.05 ", 3, 0);
        assertThat(some.options()).isEqualTo(new AdaLossOptions(0.9, 0.05, 100, 0));
        assertThat(((AdaLossWeighting) LossWeightings.create("adaloss", 3, 0)).options())
                .isEqualTo(AdaLossOptions.DEFAULTS);
        assertThat(((AdaLossWeighting) LossWeightings.create("adaloss:mu=0.9", 3, 0)).name()).isEqualTo("adaloss");
        LossWeighting osc = LossWeightings.create("oscillating", 8, 99);
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
                        + "const, linear, half-end, sieve, oscillating, adaloss, opt, eann-<scheme>");
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
        assertThatThrownBy(() -> make("opt:-1", 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("head must be a head number from 1");
        assertThat(make("opt:0", 6).weights(0)).as("0: the final head").containsExactly(0, 0, 0, 0, 0, 1);
        assertThat(make("opt:head=2", 6).name()).isEqualTo("opt:2");
    }

    @Test
    void badArguments() {
        assertThatThrownBy(() -> make("opt:x", 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'opt:x': head must be a whole number, got 'x'");
        assertThatThrownBy(() -> make("opt:", 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> make("const:3", 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes no");
        assertThatThrownBy(() -> make("sieve", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heads");
    }

    @Test
    void badParametersNameThemselves() {
        assertThatThrownBy(() -> make("adaloss:foo=1", 3))
                .hasMessage("'adaloss:foo=1': unknown 'foo'; choose from mu, gamma, updateEvery, finalBonus");
        assertThatThrownBy(() -> make("adaloss:mu=1.5", 3)).hasMessage("'adaloss:mu=1.5': mu must be in [0, 1), got 1.5");
        assertThatThrownBy(() -> make("adaloss:updateEvery=0.5", 3))
                .hasMessage("'adaloss:updateEvery=0.5': updateEvery must be a whole number, got '0.5'");
        assertThatThrownBy(() -> make("adaloss:gamma", 3)).hasMessageContaining("'adaloss:gamma'");
        assertThatThrownBy(() -> make("eann-adaloss:gamma=2", 4)).hasMessageContaining("gamma must be in (0, 1]");
        assertThatThrownBy(() -> make("sieve:mu=1", 3)).hasMessageContaining("takes no");
        // the spec is checked without knowing K, as the CLI does before it reads any data
        assertThatThrownBy(() -> LossWeightings.parse("adaloss:mu=x")).hasMessageContaining("mu must be a number");
    }

    @Test
    void specsHaveAShortestFormAndAFileName() {
        assertThat(LossWeightings.parse("AdaLoss:updateEvery=8,mu=0.9").canonical()).isEqualTo("adaloss:updateEvery=8");
        assertThat(LossWeightings.parse("eann-adaloss").canonical()).isEqualTo("eann-adaloss");
        assertThat(LossWeightings.parse("opt:3").canonical()).isEqualTo("opt:3");
        assertThat(LossWeightings.fileName("opt:3")).isEqualTo("opt3");
        assertThat(LossWeightings.fileName("adaloss")).isEqualTo("adaloss");
        assertThat(LossWeightings.fileName("eann-adaloss:gamma=0.05,updateEvery=1"))
                .isEqualTo("eann-adaloss-gamma0.05-updateEvery1");
    }

    /** Run configs written before weightings owned their parameters kept AdaLoss's in a field of their own. */
    @Test
    void legacyAdaLossOptionsGoIntoTheSpec() throws Exception {
        var defaults = dev.anytimenn.io.Jsons.MAPPER.readTree(
                "{\"mu\": 0.9, \"gamma\": 0.07, \"updateEvery\": 100, \"finalBonus\": 0.0}");
        var quick = dev.anytimenn.io.Jsons.MAPPER.readTree(
                "{\"mu\": 0.9, \"gamma\": 0.07, \"updateEvery\": 8, \"finalBonus\": 0.0}");
        assertThat(LossWeightings.withLegacyAdaLoss("adaloss", defaults)).isEqualTo("adaloss");
        assertThat(LossWeightings.withLegacyAdaLoss("AdaLoss", defaults)).isEqualTo("AdaLoss");
        assertThat(LossWeightings.withLegacyAdaLoss("adaloss", quick)).isEqualTo("adaloss:updateEvery=8");
        assertThat(LossWeightings.withLegacyAdaLoss("eann-adaloss", quick)).isEqualTo("eann-adaloss:updateEvery=8");
        assertThat(LossWeightings.withLegacyAdaLoss("const", quick)).isEqualTo("const");
        assertThat(LossWeightings.withLegacyAdaLoss("eann-sieve", quick)).isEqualTo("eann-sieve");
        assertThat(LossWeightings.withLegacyAdaLoss("opt:3", quick)).isEqualTo("opt:3");
        assertThat(LossWeightings.withLegacyAdaLoss("adaloss", null)).isEqualTo("adaloss");
        assertThat(((AdaLossWeighting) make(LossWeightings.withLegacyAdaLoss("adaloss", quick), 3)).options())
                .isEqualTo(new AdaLossOptions(0.9, 0.07, 8, 0));
    }
}
