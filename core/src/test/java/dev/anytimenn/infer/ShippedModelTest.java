package dev.anytimenn.infer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.model.ModelConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model file shipped in models/fashion-mnist/ keeps opening as the network it was trained as: every
 * exit's MACs are the ones it was written with (the numbers of its README), and opening rebuilds that
 * network from the file's options (opening also checks the file's exits against the rebuilt network).
 */
class ShippedModelTest {

    static final Path SHIPPED = Path.of("../models/fashion-mnist/model.safetensors");

    @Test
    void theShippedModelOpensWithItsExitsUnchanged() throws Exception {
        List<ExitCost> written = List.of(new ExitCost(1, 1, 3725728, 3725728), new ExitCost(2, 2, 3612832, 7338560),
                new ExitCost(3, 3, 2709824, 10048384), new ExitCost(4, 4, 3612992, 13661376),
                new ExitCost(5, 5, 2710144, 16371520), new ExitCost(6, 6, 3613312, 19984832));
        try (AnytimeModel model = AnytimeModel.open(SHIPPED, Device.cpu())) {
            assertThat(model.exitCosts()).isEqualTo(written);
            assertThat(model.network().exitCosts()).isEqualTo(written);
            ModelConfig config = model.network().config();
            assertThat(config.arch()).isEqualTo("resann");
            assertThat(List.of(config.n(), config.c(), config.s(), config.units())).containsExactly(2, 16, 1, 0);
            assertThat(model.network().getParameters().size()).isEqualTo(97);
            assertThat(model.classNames()).hasSize(10).startsWith("T-shirt/top");
        }
    }
}
