package dev.anytimenn.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.anytimenn.data.DataConfig;
import dev.anytimenn.data.SyntheticIdx;
import dev.anytimenn.eval.report.EpochSummary;
import dev.anytimenn.train.AnytimeTrainer;
import dev.anytimenn.train.RunConfig;
import dev.anytimenn.train.TrainConfig;
import dev.anytimenn.train.TrainingListener;
import dev.anytimenn.train.TrainingRun;
import dev.anytimenn.weighting.ConstWeighting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DenseANN: MACs worked out by hand, shapes, head placement, stepwise runs and a short training. */
class DenseAnnTest {

    private static ModelConfig densann(int n, int g, int s, InputShape input) {
        return new ModelConfig("densann", n, g, s, 10, input);
    }

    private static ModelConfig mnistSized(int n, int g, int s) {
        return densann(n, g, s, new InputShape(1, 28, 28));
    }

    @Test
    void macsPerExitOnA28PixelInput() {
        // n = 2, g = 4, s = 1, 1x28x28: L = 6 dense layers, a head after each. Bottleneck 4g = 16.
        // stem 3x3 1->8 at 28x28:                          28*28*8*1*9              =  56,448
        // unit 1 (8 in, 28x28):  1x1 8->16 + 3x3 16->4     784*16*8 + 784*4*16*9    = 100,352 + 451,584 = 551,936
        // head 1: linear 12 -> 10                                                   =     120
        // unit 2 (12 in):        1x1 12->16 + 3x3 16->4    784*16*12 + 451,584      = 150,528 + 451,584 = 602,112
        // head 2: linear 16 -> 10                                                   =     160
        // unit 3: transition 1x1 16->8 at 28x28, pool to 14x14; layer on 8 in
        //         784*8*16 + 196*16*8 + 196*4*16*9         = 100,352 + 25,088 + 112,896 = 238,336
        // head 3: linear 12 -> 10                                                   =     120
        // unit 4 (12 in, 14x14): 196*16*12 + 112,896       = 37,632 + 112,896       = 150,528
        // head 4: linear 16 -> 10                                                   =     160
        // unit 5: transition 16->8 at 14x14, pool to 7x7
        //         196*8*16 + 49*16*8 + 49*4*16*9           = 25,088 + 6,272 + 28,224 = 59,584
        // head 5: linear 12 -> 10                                                   =     120
        // unit 6 (12 in, 7x7):   49*16*12 + 28,224         = 9,408 + 28,224         =  37,632
        // head 6: linear 16 -> 10                                                   =     160
        AnytimeNetwork net = Architectures.build(mnistSized(2, 4, 1));
        assertThat(net.unitMacs()).containsExactly(551_936, 602_112, 238_336, 150_528, 59_584, 37_632);
        long[] exit = {56_448 + 551_936 + 120, 602_112 + 160, 238_336 + 120, 150_528 + 160, 59_584 + 120,
            37_632 + 160};
        List<ExitCost> expected = new ArrayList<>();
        long cumulative = 0;
        for (int k = 0; k < exit.length; k++) {
            cumulative += exit[k];
            expected.add(new ExitCost(k + 1, k + 1, exit[k], cumulative));
        }
        assertThat(net.exitCosts()).containsExactlyElementsOf(expected);
        assertThat(cumulative).isEqualTo(1_697_416);
    }

    @Test
    void macsPerExitOnAnOddSizedInput() {
        // n = 1, g = 4, s = 1, 3x30x30: pooling rounds down, 30 -> 15 -> 7; channels 8 -> 12 -> 6+4 -> 5+4.
        // stem 3x3 3->8 at 30x30:      900*8*3*9                         = 194,400
        // unit 1 (8 in, 30x30):        900*16*8 + 900*4*16*9             = 115,200 + 518,400 = 633,600
        // head 1: 12 -> 10                                                =     120
        // unit 2: transition 12->6 at 30x30, pool to 15x15; layer on 6 in
        //         900*6*12 + 225*16*6 + 225*4*16*9                      = 64,800 + 21,600 + 129,600 = 216,000
        // head 2: 10 -> 10                                                =     100
        // unit 3: transition 10->5 (floor of 10/2) at 15x15, pool to 7x7
        //         225*5*10 + 49*16*5 + 49*4*16*9                        = 11,250 + 3,920 + 28,224 = 43,394
        // head 3: 9 -> 10                                                 =      90
        AnytimeNetwork net = Architectures.build(densann(1, 4, 1, new InputShape(3, 30, 30)));
        long exit1 = 194_400 + 633_600 + 120;
        long exit2 = 216_000 + 100;
        long exit3 = 43_394 + 90;
        assertThat(net.exitCosts()).containsExactly(
                new ExitCost(1, 1, exit1, exit1),
                new ExitCost(2, 2, exit2, exit1 + exit2),
                new ExitCost(3, 3, exit3, exit1 + exit2 + exit3));
    }

    @Test
    void paperSizedBlocksCostWhatAnIndependentCountSays() {
        // n = 4, g = 12, s = 2 on 1x28x28 (checked against a separate script from the layer shapes):
        // heads after units 2, 4, ..., 12; the two transitions sit in units 5 and 9.
        AnytimeNetwork net = Architectures.build(mnistSized(4, 12, 2));
        assertThat(net.exitCosts().stream().mapToLong(ExitCost::cumulativeMacs).toArray())
                .containsExactly(10_556_256, 22_749_744, 27_604_872, 30_879_696, 32_305_668, 33_153_288);
        for (ExitCost cost : net.exitCosts()) {
            System.out.printf("densann n=4 g=12 s=2 exit %d after unit %d: %.3f MMACs (cumulative %.3f)%n",
                    cost.index(), cost.afterUnit(), cost.macs() / 1e6, cost.cumulativeMacs() / 1e6);
        }
    }

    @Test
    void declaredShapesMatchTheForwardOnAnOddSizedInput() {
        ModelConfig config = densann(1, 4, 1, new InputShape(3, 30, 30));
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(config, manager, 5);
            ParameterStore ps = new ParameterStore(manager, false);
            List<Block> children = net.getChildren().values();
            // children are the stem, then the L units, then the heads
            NDList state = new NDList(manager.randomNormal(config.input().batchShape(2)));
            List<Shape> actual = new ArrayList<>();
            for (Block block : children.subList(0, 1 + net.unitCount())) {
                Shape[] declared = block.getOutputShapes(new Shape[] {state.head().getShape()});
                state = block.forward(ps, state, false);
                assertThat(state.head().getShape()).isEqualTo(declared[0]);
                actual.add(state.head().getShape());
            }
            assertThat(actual).containsExactly(new Shape(2, 8, 30, 30), new Shape(2, 12, 30, 30),
                    new Shape(2, 10, 15, 15), new Shape(2, 9, 7, 7));
        }
    }

    @Test
    void fullForwardGivesOneLogitTensorPerHead() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(mnistSized(2, 4, 2), manager, 1);
            NDArray x = manager.randomNormal(new Shape(3, 1, 28, 28));
            NDList out = net.forward(new ParameterStore(manager, false), new NDList(x), false);
            assertThat(out).hasSize(3);
            for (NDArray logits : out) {
                assertThat(logits.getShape()).isEqualTo(new Shape(3, 10));
            }
            assertThat(net.getOutputShapes(new Shape[] {new Shape(3, 1, 28, 28)}))
                    .containsExactly(new Shape(3, 10), new Shape(3, 10), new Shape(3, 10));
        }
    }

    @Test
    void headsFollowEverySthDenseLayerFromTheLast() {
        AnytimeNetwork everyLayer = Architectures.build(mnistSized(2, 4, 1));
        assertThat(everyLayer.unitCount()).isEqualTo(6);
        assertThat(everyLayer.headCount()).isEqualTo(6);
        assertThat(everyLayer.headAfterUnit()).containsExactly(1, 2, 3, 4, 5, 6);

        AnytimeNetwork everyOther = Architectures.build(mnistSized(2, 4, 2));
        assertThat(everyOther.headCount()).isEqualTo(3);
        assertThat(everyOther.headAfterUnit()).containsExactly(2, 4, 6);

        // L = 9, s = 2: K = 5 heads at 1, 3, 5, 7, 9; unit 7 carries the second transition
        AnytimeNetwork odd = Architectures.build(mnistSized(3, 4, 2));
        assertThat(odd.headAfterUnit()).containsExactly(1, 3, 5, 7, 9);
    }

    @Test
    void stepwiseRunGivesTheSameLogitsAsTheFullForward() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(mnistSized(2, 4, 1), manager, 2);
            ModelTestSupport.assertStepwiseMatchesFullForward(net, manager, 4);
        }
    }

    @Test
    void keptRowsContinueAsABatchOfOnlyThoseRows() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(mnistSized(2, 4, 1), manager, 3);
            // cut after unit 2, before the first transition, so the kept rows go through both
            ModelTestSupport.assertKeptRowsMatch(net, manager, 5, new long[] {0, 3, 4}, 2);
        }
    }

    @Test
    void aFewSgdStepsLowerTheLoss(@TempDir Path temp) throws Exception {
        Path data = SyntheticIdx.writeLearnable(temp.resolve("synthetic"), 640, 10, 11);
        // no validation split, no augmentation: 20 steps an epoch of batch 32, 4 epochs (about 3 s)
        TrainConfig training = new TrainConfig(4, 32, 0.1, 0.9, false, 1e-4, "cosine", 0, 5, 0, 0, 0, false,
                "const");
        RunConfig config = new RunConfig("densann-smoke", mnistSized(1, 8, 1), training,
                DataConfig.fashionMnist(data));
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = Architectures.buildInitialized(config.model(), manager);
            List<Double> losses = new ArrayList<>();
            TrainingListener record = new TrainingListener() {
                @Override
                public void epochFinished(EpochSummary summary) {
                    losses.add(summary.trainLoss());
                }
            };
            try (AnytimeTrainer trainer = new AnytimeTrainer(net, manager, training,
                    new ConstWeighting(net.headCount()), record, null)) {
                trainer.fit(TrainingRun.trainingData(config));
            }
            // three heads at chance level start near 3 ln 10 = 6.9
            // (seen here: 6.7, 5.7, 4.8, 4.2)
            assertThat(losses).hasSize(4).allMatch(Double::isFinite);
            assertThat(losses.get(3)).isLessThan(losses.get(0) * 0.8);
        }
    }

    @Test
    void registryBuildsIt() {
        assertThat(Architectures.names()).contains("resann", "densann");
        AnytimeNetwork net = Architectures.build(mnistSized(1, 4, 1));
        assertThat(net.unitCount()).isEqualTo(3);
        assertThat(net.config().arch()).isEqualTo("densann");
    }
}
