package dev.anytimenn.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** MAC counts against numbers worked out by hand from the layer shapes. */
class ExitCostTest {

    @Test
    void resannWithOneUnitPerStage() {
        // n = 1, c = 16, 28x28x1 input, heads after every unit.
        // stem 3x3 1->16 at 28x28:                28*28*16*1*9             =   112,896
        // unit 1, 16->16 at 28x28: 2 convs        2*28*28*16*16*9          = 3,612,672
        // head 1: linear 16 -> 10                                           =       160
        // unit 2, 16->32 stride 2 -> 14x14:       14*14*32*16*9 + 14*14*32*32*9 = 903,168 + 1,806,336
        // head 2: linear 32 -> 10                                           =       320
        // unit 3, 32->64 stride 2 -> 7x7:         7*7*64*32*9 + 7*7*64*64*9 = 903,168 + 1,806,336
        // head 3: linear 64 -> 10                                           =       640
        AnytimeNetwork net = Architectures.build(ModelTestSupport.resann(1, 16, 1));
        List<ExitCost> costs = net.exitCosts();
        assertThat(costs).containsExactly(
                new ExitCost(1, 1, 112_896 + 3_612_672 + 160, 3_725_728),
                new ExitCost(2, 2, 903_168 + 1_806_336 + 320, 3_725_728 + 2_709_824),
                new ExitCost(3, 3, 903_168 + 1_806_336 + 640, 3_725_728 + 2_709_824 + 2_710_144));
    }

    @Test
    void headStrideSkipsUnitsButCountsThem() {
        // n = 2, c = 8, s = 2: L = 6 units, heads after units 2, 4, 6.
        // stem 28*28*8*9 = 56,448; stage 1 units: 2 * (2*28*28*8*8*9) = 1,806,336
        // unit 3 (8->16, stride 2): 14*14*16*8*9 + 14*14*16*16*9 = 225,792 + 451,584 = 677,376
        // unit 4 (16->16): 2 * 451,584 = 903,168
        // unit 5 (16->32, stride 2): 7*7*32*16*9 + 7*7*32*32*9 = 225,792 + 451,584 = 677,376
        // unit 6 (32->32): 903,168
        // heads: 8*10 = 80, 16*10 = 160, 32*10 = 320
        AnytimeNetwork net = Architectures.build(ModelTestSupport.resann(2, 8, 2));
        long exit1 = 56_448 + 1_806_336 + 80;
        long exit2 = 677_376 + 903_168 + 160;
        long exit3 = 677_376 + 903_168 + 320;
        assertThat(net.exitCosts()).containsExactly(
                new ExitCost(1, 2, exit1, exit1),
                new ExitCost(2, 4, exit2, exit1 + exit2),
                new ExitCost(3, 6, exit3, exit1 + exit2 + exit3));
        assertThat(net.unitMacs()).containsExactly(903_168, 903_168, 677_376, 903_168, 677_376, 903_168);
    }

    @Test
    void oddSizesFollowTheStridedConvolution() {
        // 30x30 input: stage 2 at 15x15, stage 3 at 8x8 (ceil), both from the conv formula
        ModelConfig config = new ModelConfig("resann", 1, 4, 1, 10, new InputShape(3, 30, 30));
        AnytimeNetwork net = Architectures.build(config);
        long stem = 30L * 30 * 4 * 3 * 9;
        long unit1 = 2L * 30 * 30 * 4 * 4 * 9;
        long unit2 = 15L * 15 * 8 * 4 * 9 + 15L * 15 * 8 * 8 * 9;
        long unit3 = 8L * 8 * 16 * 8 * 9 + 8L * 8 * 16 * 16 * 9;
        assertThat(net.exitCosts().get(2).cumulativeMacs())
                .isEqualTo(stem + unit1 + unit2 + unit3 + 40 + 80 + 160);
    }

    @Test
    void aTruncatedNetworkIsTheFrontOfTheWholeOne() {
        ModelConfig whole = ModelTestSupport.resann(2, 8, 1);
        AnytimeNetwork cut = Architectures.build(whole.withUnits(3));
        assertThat(cut.unitCount()).isEqualTo(3);
        assertThat(cut.exitCosts()).isEqualTo(Architectures.build(whole).exitCosts().subList(0, 3));
        // with s = 2 the heads count back from the new last unit: 3 and 1
        assertThat(Architectures.build(ModelTestSupport.resann(2, 8, 2).withUnits(3)).headAfterUnit())
                .containsExactly(1, 3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Architectures.build(whole.withUnits(7)))
                .hasMessage("units 7 exceeds the 6 units of resann with n = 2");
        for (String arch : new String[] {"densann", "msdnet"}) {
            ModelConfig other = new ModelConfig(arch, 2, 4, 1, 10, new InputShape(1, 28, 28));
            assertThat(Architectures.build(other.withUnits(2)).exitCosts())
                    .isEqualTo(Architectures.build(other).exitCosts().subList(0, 2));
        }
    }
}
