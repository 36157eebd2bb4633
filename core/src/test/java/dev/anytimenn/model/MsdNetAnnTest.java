package dev.anytimenn.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
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
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MsdNetAnnTest {

    private static ModelConfig msdnet(int n, int c, int s) {
        return new ModelConfig("msdnet", n, c, s, 10, new InputShape(1, 28, 28));
    }

    @Test
    void exitCostsOfTheSmallestNetworkByHand() {
        // n = 1, c = 2, s = 1 on 1x28x28: 3 layers, a head after each. Stem units ceil(16/3) = 6, so
        // scales of 6, 12, 24 channels at 28, 14, 7 px; head width 2 * 4 * 6 = 48.
        // stem: 3x3 1->6 at 28:            784*6*1*9  =  42,336
        //       3x3/2 6->12 to 14:         196*12*6*9 = 127,008
        //       3x3/2 12->24 to 7:         49*24*12*9 = 127,008                     -> 296,352
        // layer 1 (units 6, scales 0-2):
        //   scale 0, regular only, out 2, bottleneck min(6, 1*2) = 2:
        //       1x1 784*2*6 = 9,408;  3x3 784*2*2*9 = 28,224                         ->  37,632
        //   scale 1, out 2 + 2: regular bottleneck min(12, 2*2) = 4: 196*4*12 = 9,408; 196*2*4*9 = 14,112
        //       strided from scale 0, bottleneck min(6, 1*2) = 2: 784*2*6 = 9,408; 196*2*2*9 = 7,056 -> 39,984
        //   scale 2, out 4 + 4: regular bottleneck min(24, 4*4) = 16: 49*16*24 = 18,816; 49*4*16*9 = 28,224
        //       strided from scale 1, bottleneck min(12, 2*4) = 8: 196*8*12 = 18,816; 49*4*8*9 = 14,112 -> 79,968
        //   total 157,584; now 8, 16, 32 channels
        // head 1 on 32 x 7x7: 3x3/2 to 4x4 16*48*32*9 = 221,184; 3x3/2 to 2x2 4*48*48*9 = 82,944;
        //       linear 48*10 = 480                                                   -> 304,608
        // layer 2 drops scale 0; units 8 -> 4, so transitions 16 -> 8 and 32 -> 16:
        //       196*8*16 = 25,088; 49*16*32 = 25,088                                 ->  50,176
        //   scale 1, regular only, out 4, bottleneck min(8, 2*4) = 8: 196*8*8 = 12,544; 196*4*8*9 = 56,448
        //   scale 2, out 4 + 4 (c * 4 / 2 per branch):
        //       regular bottleneck min(16, 4*4) = 16: 49*16*16 = 12,544; 49*4*16*9 = 28,224
        //       strided bottleneck min(8, 2*4) = 8: 196*8*8 = 12,544; 49*4*8*9 = 14,112
        //   total 50,176 + 68,992 + 67,424 = 186,592; now 12, 24 channels
        // head 2 on 24: 16*48*24*9 = 165,888 + 82,944 + 480                          -> 249,312
        // layer 3 drops scale 1; units 6 -> 3, transition 24 -> 12: 49*12*24 = 14,112
        //   scale 2, regular only, out 8, bottleneck min(12, 4*8) = 12: 49*12*12 = 7,056; 49*8*12*9 = 42,336
        //   total 63,504; now 20 channels
        // head 3 on 20: 16*48*20*9 = 138,240 + 82,944 + 480                          -> 221,664
        AnytimeNetwork net = Architectures.build(msdnet(1, 2, 1));
        long exit1 = 296_352 + 157_584 + 304_608;
        long exit2 = 186_592 + 249_312;
        long exit3 = 63_504 + 221_664;
        assertThat(net.exitCosts()).containsExactly(
                new ExitCost(1, 1, exit1, exit1),
                new ExitCost(2, 2, exit2, exit1 + exit2),
                new ExitCost(3, 3, exit3, exit1 + exit2 + exit3));
        assertThat(net.unitMacs()).containsExactly(157_584, 186_592, 63_504);
    }

    @Test
    void weightShapesOfEveryConvAndLinearAddUpToTheExitCosts() {
        // n = 4, c = 6, s = 2: 12 layers, heads after 2, 4, ..., 12. Counted here from the initialised
        // weights (out x in x k x k) and each conv's recorded input, independently of the blocks' macs().
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(msdnet(4, 6, 2), manager, 5);
            // a forward of one image proves the recorded shapes are the ones the convs really see
            net.forward(new ParameterStore(manager, false),
                    new NDList(manager.randomNormal(new Shape(1, 1, 28, 28))), false);
            List<Block> children = net.getChildren().values();
            int units = net.unitCount();
            int[] after = net.headAfterUnit();
            List<ExitCost> costs = net.exitCosts();
            assertThat(costs).hasSize(6);
            long segment = weightMacs(children.get(0));
            long cumulative = 0;
            int unit = 0;
            for (int k = 0; k < after.length; k++) {
                for (; unit < after[k]; unit++) {
                    segment += weightMacs(children.get(1 + unit));
                }
                segment += weightMacs(children.get(1 + units + k));
                cumulative += segment;
                assertThat(costs.get(k)).isEqualTo(new ExitCost(k + 1, after[k], segment, cumulative));
                System.out.printf(Locale.ROOT, "msdnet n=4 c=6 s=2, 1x28x28: exit %d after layer %2d: %.3f MMACs"
                        + " (cumulative %.3f)%n", k + 1, after[k], segment / 1e6, cumulative / 1e6);
                segment = 0;
            }
            long steps = 0;
            for (long m : net.stepMacs()) {
                steps += m;
            }
            assertThat(steps).isEqualTo(cumulative);
        }
    }

    /** MACs of a block's convolutions and linear layers for one image, from their weight shapes. */
    private static long weightMacs(Block block) {
        if (block instanceof Conv2d conv) {
            Shape out = conv.getOutputShapes(conv.getInputShapes())[0];
            Shape weight = conv.getDirectParameters().get("weight").getArray().getShape();
            assertThat(weight.get(1)).isEqualTo(conv.getInputShapes()[0].get(1));
            return weight.size() * out.get(2) * out.get(3);
        }
        if (block instanceof Linear linear) {
            return linear.getDirectParameters().get("weight").getArray().getShape().size();
        }
        long macs = 0;
        for (Block child : block.getChildren().values()) {
            macs += weightMacs(child);
        }
        return macs;
    }

    @Test
    void oneHeadEveryStrideLayersWithLogitsPerClass() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // n = 2: 6 layers; s = 2 puts heads after layers 2, 4, 6
            AnytimeNetwork net = ModelTestSupport.seeded(msdnet(2, 3, 2), manager, 1);
            assertThat(net.unitCount()).isEqualTo(6);
            assertThat(net.headCount()).isEqualTo(3);
            assertThat(net.headAfterUnit()).containsExactly(2, 4, 6);
            NDList out = net.forward(new ParameterStore(manager, false),
                    new NDList(manager.randomNormal(new Shape(3, 1, 28, 28))), false);
            assertThat(out).hasSize(3);
            for (NDArray logits : out) {
                assertThat(logits.getShape()).isEqualTo(new Shape(3, 10));
            }
            assertThat(net.getOutputShapes(new Shape[] {new Shape(3, 1, 28, 28)})).containsOnly(new Shape(3, 10));
        }
    }

    @Test
    void oddSizesRoundUpAlikeInForwardShapesAndMacs() {
        // 30 px: scales 30, 15, 8 (the conv formula rounds up); heads go 8 -> 4 -> 2
        ModelConfig config = new ModelConfig("msdnet", 1, 2, 1, 10, new InputShape(3, 30, 30));
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(config, manager, 2);
            ParameterStore ps = new ParameterStore(manager, false);
            List<Block> children = net.getChildren().values();
            NDList state = new NDList(manager.randomNormal(new Shape(2, 3, 30, 30)));
            List<Shape[]> expected = List.of(
                    shapes(6, 30, 12, 15, 24, 8),
                    shapes(8, 30, 16, 15, 32, 8),
                    shapes(12, 15, 24, 8),
                    shapes(20, 8));
            for (int i = 0; i < 4; i++) {
                Block block = children.get(i);
                Shape[] predicted = block.getOutputShapes(state.getShapes());
                state = block.forward(ps, state, false);
                assertThat(state.getShapes()).containsExactly(predicted).containsExactly(expected.get(i));
                assertThat(children.get(4 + Math.max(0, i - 1)).getOutputShapes(state.getShapes()))
                        .containsExactly(new Shape(2, 10));
            }
            // layer 3 at 8x8: transition 64*12*24 = 18,432; 1x1 64*12*12 = 9,216; 3x3 64*8*12*9 = 55,296;
            // head 3 on 20 x 8x8: 16*48*20*9 = 138,240 to 4x4; 4*48*48*9 = 82,944 to 2x2; linear 480
            assertThat(net.exitCosts().get(2).macs())
                    .isEqualTo(18_432 + 9_216 + 55_296 + 138_240 + 82_944 + 480);
        }
    }

    /** Batch-2 shapes of (channels, side) pairs, finest scale first. */
    private static Shape[] shapes(int... channelsAndSides) {
        Shape[] s = new Shape[channelsAndSides.length / 2];
        for (int i = 0; i < s.length; i++) {
            int side = channelsAndSides[2 * i + 1];
            s[i] = new Shape(2, channelsAndSides[2 * i], side, side);
        }
        return s;
    }

    @Test
    void stepwiseRunGivesTheFullForwardsLogits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(msdnet(2, 2, 1), manager, 3);
            ModelTestSupport.assertStepwiseMatchesFullForward(net, manager, 4);
        }
    }

    @Test
    void keptRowsContinueAsABatchOfOnlyThoseRows() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(msdnet(2, 2, 1), manager, 4);
            // cut after layer 2, so the kept state still holds all three scales
            ModelTestSupport.assertKeptRowsMatch(net, manager, 5, new long[] {1, 4}, 2);
        }
    }

    @Test
    void aFewTrainingStepsReduceTheLoss(@TempDir Path temp) throws Exception {
        Path data = SyntheticIdx.writeLearnable(temp.resolve("synthetic"), 256, 10, 5);
        // 3 epochs of 8 batches, no validation set, no augmentation: 24 SGD steps. The summed loss of
        // the 3 heads starts near 3 ln 10 = 6.9 (seen: 6.0 over epoch 1, 1.7 over epoch 3).
        TrainConfig training = new TrainConfig(3, 32, 0.05, 0.9, false, 1e-4, "cosine", 0, 5, 0, 0, 0, false,
                "const");
        ModelConfig model = msdnet(1, 4, 1);
        RunConfig config = new RunConfig("msdnet-smoke", model, training, DataConfig.fashionMnist(data));
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = Architectures.buildInitialized(model, manager);
            try (AnytimeTrainer trainer = new AnytimeTrainer(net, manager, training,
                    new ConstWeighting(net.headCount()), TrainingListener.SILENT, null)) {
                trainer.fit(TrainingRun.trainingData(config));
                List<EpochSummary> history = trainer.history();
                assertThat(history).hasSize(3);
                assertThat(history.get(2).trainLoss()).isFinite().isLessThan(0.5 * history.get(0).trainLoss());
            }
        }
    }

    @Test
    void registryBuildsItByName() {
        assertThat(Architectures.names()).contains("msdnet", "resann");
        AnytimeNetwork net = Architectures.build(
                new ModelConfig("MSDNet", 3, 4, 4, 10, new InputShape(1, 28, 28)));
        // L = 9 layers, s = 4: heads after 1, 5, 9
        assertThat(net.unitCount()).isEqualTo(9);
        assertThat(net.headAfterUnit()).containsExactly(1, 5, 9);
        assertThat(net.getChildren().values().get(0)).isInstanceOf(MsdStem.class);
    }
}
