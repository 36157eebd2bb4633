package dev.anytimenn.cli;

import ai.djl.Device;
import dev.anytimenn.data.DataConfig;
import dev.anytimenn.data.SyntheticIdx;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.train.RunConfig;
import dev.anytimenn.train.RunFolder;
import dev.anytimenn.train.TrainConfig;
import dev.anytimenn.train.TrainingListener;
import dev.anytimenn.train.TrainingRun;
import java.nio.file.Path;

/** The run folder the command-line tests run commands on: a 4-unit ResANN (c = 4) trained one epoch on learnable synthetic IDX data. */
final class TinyRun {

    private TinyRun() {}

    /**
     * Writes the data set into {@code data} and trains into {@code run}.
     *
     * @param validation training images held out for validation
     */
    static void train(Path data, Path run, int trainCount, int testCount, int validation) throws Exception {
        SyntheticIdx.writeLearnable(data, trainCount, testCount, 2);
        TrainConfig training = new TrainConfig(1, 32, 0.05, 0.9, false, 1e-4, "cosine", 0, 1, validation, 0, 0, false,
                "const");
        ModelConfig model = new ModelConfig("resann", 1, 4, 1, 10, new InputShape(1, 28, 28));
        TrainingRun.train(new RunConfig("tiny", model, training, DataConfig.fashionMnist(data)), new RunFolder(run),
                Device.cpu(), TrainingListener.SILENT);
    }
}
