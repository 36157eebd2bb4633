package dev.anytimenn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.anytimenn.data.DataConfig;
import dev.anytimenn.data.SyntheticIdx;
import dev.anytimenn.eval.report.EpochSummary;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.weighting.ConstWeighting;
import dev.anytimenn.weighting.LossWeighting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints: an interrupted and resumed run equals an uninterrupted one; failures keep the last good one. */
class ResumeAndFailureTest {

    @TempDir
    static Path shared;
    static Path data;

    @BeforeAll
    static void writeData() throws Exception {
        data = SyntheticIdx.writeLearnable(shared.resolve("synthetic"), 700, 200, 3);
    }

    private static RunConfig config(String weighting) {
        TrainConfig training = new TrainConfig(3, 32, 0.05, 0.9, false, 1e-4, "cosine", 0.5, 5, 200, 0, 2, true,
                weighting);
        ModelConfig model = new ModelConfig("resann", 1, 4, 1, 10, new InputShape(1, 28, 28));
        return new RunConfig("resume", model, training, DataConfig.fashionMnist(data));
    }

    /** Simulates a crash right after the checkpoint of the given epoch was written. */
    private static final class CrashAfter implements TrainingListener {
        private final int epoch;

        CrashAfter(int epoch) {
            this.epoch = epoch;
        }

        @Override
        public void epochFinished(EpochSummary summary) {
            if (summary.epoch() == epoch) {
                throw new IllegalStateException("simulated crash");
            }
        }
    }

    @Test
    void resumedRunMatchesAnUninterruptedOne(@TempDir Path temp) throws Exception {
        for (String weighting : List.of("adaloss:updateEvery=3", "oscillating")) {
            RunConfig config = config(weighting);
            String name = dev.anytimenn.weighting.LossWeightings.fileName(weighting);
            RunFolder straight = new RunFolder(temp.resolve(name + "-straight"));
            TrainingRun.train(config, straight, Device.cpu(), TrainingListener.SILENT);

            RunFolder interrupted = new RunFolder(temp.resolve(name + "-interrupted"));
            assertThatThrownBy(() -> TrainingRun.train(config, interrupted, Device.cpu(), new CrashAfter(1)))
                    .hasMessage("simulated crash");
            assertThat(Checkpoints.read(interrupted.checkpoint()).state().epochsDone()).isEqualTo(1);
            TrainingRun.resume(interrupted, Device.cpu(), TrainingListener.SILENT);

            Checkpoints.Contents a = Checkpoints.read(straight.checkpoint());
            Checkpoints.Contents b = Checkpoints.read(interrupted.checkpoint());
            assertThat(b.state().epochsDone()).isEqualTo(3);
            assertThat(b.state().step()).isEqualTo(a.state().step());
            assertThat(b.state().weighting()).isEqualTo(a.state().weighting());
            assertThat(b.blocks().parameters()).as(weighting + ": parameters after resuming").isEqualTo(a.blocks().parameters());
            assertThat(b.blocks().optimizerState()).isEqualTo(a.blocks().optimizerState());
            for (int e = 0; e < 3; e++) {
                assertThat(b.state().history().get(e).validationAccuracy())
                        .containsExactly(a.state().history().get(e).validationAccuracy());
            }
        }
    }

    @Test
    void aDivergingLossStopsTrainingAndKeepsTheLastGoodCheckpoint(@TempDir Path temp) throws Exception {
        RunConfig config = config("const");
        Path checkpoint = temp.resolve(RunFolder.CHECKPOINT);
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = Architectures.buildInitialized(config.model(), manager);
            // 500 training images, batch 32: 15 steps an epoch; NaN weights from step 20, in epoch 2
            LossWeighting constant = new ConstWeighting(net.headCount());
            LossWeighting poisoned = new LossWeighting() {
                @Override
                public String name() {
                    return "poisoned";
                }

                @Override
                public int heads() {
                    return constant.heads();
                }

                @Override
                public double[] weights(long step) {
                    double[] w = constant.weights(step);
                    if (step >= 20) {
                        Arrays.fill(w, Double.NaN);
                    }
                    return w;
                }
            };
            try (AnytimeTrainer trainer = new AnytimeTrainer(net, manager, config.training(), poisoned,
                    TrainingListener.SILENT, checkpoint)) {
                assertThatThrownBy(() -> trainer.fit(TrainingRun.trainingData(config)))
                        .isInstanceOf(TrainingDivergedException.class)
                        .hasMessageContaining("at epoch 2, step 6")
                        .hasMessageContaining("last good checkpoint (epoch 1)");
            }
        }
        Checkpoints.Contents kept = Checkpoints.read(checkpoint);
        assertThat(kept.state().epochsDone()).isEqualTo(1);
        assertThat(Files.list(temp).map(p -> p.getFileName().toString())).containsExactly(RunFolder.CHECKPOINT);
    }

    @Test
    void nativeMemoryStaysFlatAcrossEpochs() throws Exception {
        RunConfig config = config("adaloss");
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = Architectures.buildInitialized(config.model(), manager);
            LossWeighting weighting = dev.anytimenn.weighting.LossWeightings.create(config.training().weighting(),
                    net.headCount(), 1);
            List<Integer> liveArrays = new ArrayList<>();
            TrainingListener counter = new TrainingListener() {
                @Override
                public void epochFinished(EpochSummary summary) {
                    liveArrays.add(manager.getManagedArrays().size());
                }
            };
            try (AnytimeTrainer trainer = new AnytimeTrainer(net, manager, config.training(), weighting, counter,
                    null)) {
                trainer.fit(TrainingRun.trainingData(config));
            }
            // every array a step or an evaluation makes is released with its sub-manager
            assertThat(liveArrays).hasSize(3).containsOnly(liveArrays.get(0));
        }
    }

    @Test
    void corruptCheckpointsAreReportedByFile(@TempDir Path temp) throws Exception {
        Path bad = temp.resolve("checkpoint.ckpt");
        Files.writeString(bad, "not a checkpoint");
        assertThatThrownBy(() -> Checkpoints.read(bad)).hasMessage(bad + ": not an anytime-nn checkpoint");
        assertThatThrownBy(() -> Checkpoints.read(temp.resolve("missing.ckpt")))
                .hasMessageContaining("no checkpoint file there");
    }
}
