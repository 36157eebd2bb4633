package dev.anytimenn.eann;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anytimenn.data.DataConfig;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.train.TrainConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default EANN is its own, written out: a change of the study's defaults must not move it. */
class EannConfigTest {

    static final Path DATA = Path.of("/data/fashion-mnist");

    @Test
    void defaultsAreTheValuesTheCommittedEannWasTrainedWith() {
        EannConfig d = EannConfig.defaults(DATA);
        assertThat(d).isEqualTo(new EannConfig("eann-fashion-mnist",
                new ModelConfig("resann", 1, 8, 1, 10, new InputShape(1, 28, 28)), 3, 2.0,
                new TrainConfig(2, 128, 0.1, 0.9, false, 1e-4, "cosine", 0, 1, 5000, 0, 0, false, "eann-sieve"),
                "adaloss", List.of(0.25, 0.5, 0.75, 1.0), DataConfig.fashionMnist(DATA)));
        assertThat(List.of(0, 1, 2)).map(k -> d.member(k).n()).containsExactly(1, 2, 4);
        assertThat(List.of(0, 1, 2)).map(k -> Architectures.build(d.member(k)).headCount()).containsExactly(3, 6, 12);
    }

    @Test
    void quickIsATinyEannOfItsOwn() {
        EannConfig q = EannConfig.quick(DATA);
        assertThat(q.model()).isEqualTo(new ModelConfig("resann", 1, 4, 1, 10, new InputShape(1, 28, 28)));
        assertThat(q.training()).isEqualTo(new TrainConfig(1, 64, 0.1, 0.9, false, 1e-4, "cosine", 0, 1, 500, 2000, 0,
                false, "eann-sieve"));
        assertThat(q.singleWeighting()).isEqualTo("adaloss:updateEvery=8");
        assertThat(q.optFractions()).containsExactly(0.5, 1.0);
    }
}
