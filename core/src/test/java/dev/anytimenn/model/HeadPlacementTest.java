package dev.anytimenn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeadPlacementTest {

    @Test
    void everyUnitHasAHeadWithStrideOne() {
        assertThat(HeadPlacement.headCount(6, 1)).isEqualTo(6);
        assertThat(HeadPlacement.unitsWithHeads(6, 1)).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void headsCountBackFromTheLastUnit() {
        // K = 1 + floor((L-1)/s): L = 9, s = 2 -> 5 heads at 9, 7, 5, 3, 1
        assertThat(HeadPlacement.headCount(9, 2)).isEqualTo(5);
        assertThat(HeadPlacement.unitsWithHeads(9, 2)).containsExactly(1, 3, 5, 7, 9);
        // L = 10, s = 3 -> 4 heads at 10, 7, 4, 1
        assertThat(HeadPlacement.unitsWithHeads(10, 3)).containsExactly(1, 4, 7, 10);
        // L = 8, s = 3 -> 3 heads at 8, 5, 2: the first unit has none
        assertThat(HeadPlacement.unitsWithHeads(8, 3)).containsExactly(2, 5, 8);
        // a stride beyond the depth leaves only the final head
        assertThat(HeadPlacement.unitsWithHeads(4, 10)).containsExactly(4);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> HeadPlacement.headCount(0, 1)).hasMessageContaining("at least one unit");
        assertThatThrownBy(() -> HeadPlacement.headCount(3, 0)).hasMessageContaining("stride");
    }
}
