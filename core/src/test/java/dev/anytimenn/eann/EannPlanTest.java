package dev.anytimenn.eann;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anytimenn.model.Architectures;
import dev.anytimenn.train.TrainConfig;
import dev.anytimenn.weighting.LossWeightings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which run trains with which weighting; no network is trained. */
class EannPlanTest {

    @Test
    void memberZeroOfTheDefaultPlanTrainsEveryHeadTheOthersTheirSecondHalf() {
        EannPlan plan = EannPlan.of(EannConfig.defaults(Path.of("/data/fashion-mnist")));
        List<String> weightings = plan.members().stream().map(j -> j.config().training().weighting()).toList();
        assertThat(weightings).containsExactly("sieve", "eann-sieve", "eann-sieve");
        assertThat(plan.members().get(0).label()).isEqualTo("member 0 (n = 1, sieve)");
        for (EannPlan.Job j : plan.members()) {
            int heads = Architectures.build(j.config().model()).headCount();
            TrainConfig t = j.config().training();
            boolean[] trained = LossWeightings.create(t.weighting(), heads, t.seed()).trainedHeads();
            int untrained = 0;
            for (boolean b : trained) {
                untrained += b ? 0 : 1;
            }
            assertThat(untrained).as(j.folder()).isEqualTo(j == plan.members().get(0) ? 0 : heads / 2);
        }
        // the baselines are as before
        assertThat(plan.single().config().training().weighting()).isEqualTo("adaloss");
        assertThat(plan.opt()).allSatisfy(j -> assertThat(j.config().training().weighting()).isEqualTo("opt"));
    }

    @Test
    void memberZeroDropsOnlyTheMaskAndKeepsTheParameters() {
        assertThat(EannPlan.memberWeighting("eann-adaloss:gamma=0.05,updateEvery=1", 0))
                .isEqualTo("adaloss:gamma=0.05,updateEvery=1");
        assertThat(EannPlan.memberWeighting("EANN-Oscillating", 0)).isEqualTo("oscillating");
        assertThat(EannPlan.memberWeighting("eann-sieve", 1)).isEqualTo("eann-sieve");
        // an unmasked spec is every member's
        assertThat(EannPlan.memberWeighting("const", 0)).isEqualTo("const");
        assertThat(EannPlan.memberWeighting("const", 2)).isEqualTo("const");
    }
}
