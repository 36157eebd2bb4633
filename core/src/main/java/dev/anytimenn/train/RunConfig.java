package dev.anytimenn.train;

import dev.anytimenn.data.DataConfig;
import dev.anytimenn.model.ModelConfig;

/** The exact configuration of one training run, saved as config.json in its folder. */
public record RunConfig(String name, ModelConfig model, TrainConfig training, DataConfig data) {

    public RunConfig {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("run name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
    }
}
