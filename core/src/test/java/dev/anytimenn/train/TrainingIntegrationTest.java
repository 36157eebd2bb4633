package dev.anytimenn.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.anytimenn.data.DataConfig;
import dev.anytimenn.eval.ExitEvaluator;
import dev.anytimenn.eval.ExitMetrics;
import dev.anytimenn.eval.report.ExitResult;
import dev.anytimenn.eval.report.ReportFiles;
import dev.anytimenn.eval.report.RunReport;
import dev.anytimenn.eval.report.TestPredictions;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.model.ExitCost;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.store.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny ResANN trained for 300 steps with AdaLoss on a slice of Fashion-MNIST, end to end. */
class TrainingIntegrationTest {

    /**
     * Accuracy the final exit must reach on the 10 000 test images after 300 steps (measured: 0.796
     * with 2 engine threads; exits 1 and 2 reached 0.688 and 0.764).
     */
    static final double FINAL_EXIT_ACCURACY = 0.75;
    /** Every exit must beat chance (10 %) by far. */
    static final double EVERY_EXIT_ACCURACY = 0.55;

    @Test
    void everyExitLearnsAndTheReportsAreWritten(@TempDir Path temp) throws Exception {
        TestData.Source source = TestData.fashionMnistOrSynthetic(temp, "TrainingIntegrationTest");
        // 6400 images, batch 64, 3 epochs = 300 steps; AdaLoss recomputes weights every 20 steps
        TrainConfig training = new TrainConfig(3, 64, 0.1, 0.9, false, 1e-4, "cosine", 0, 11, 1000, 6400, 2,
                false, "adaloss:updateEvery=20");
        ModelConfig model = new ModelConfig("resann", 1, 16, 1, 10, new InputShape(1, 28, 28));
        RunConfig config = new RunConfig("it", model, training, DataConfig.fashionMnist(source.dir()));
        RunFolder folder = new RunFolder(temp.resolve("run"));

        RunReport report = TrainingRun.train(config, folder, Device.cpu(), TrainingListener.SILENT);

        for (ExitResult exit : report.exits()) {
            System.out.printf("TrainingIntegrationTest: exit %d after unit %d: test accuracy %.4f%n",
                    exit.index(), exit.afterUnit(), exit.testAccuracy());
        }
        assertThat(report.exits()).hasSize(3);
        assertThat(report.exits()).allSatisfy(e -> assertThat(e.testAccuracy()).isGreaterThan(EVERY_EXIT_ACCURACY));
        assertThat(report.exits().get(2).testAccuracy()).isGreaterThan(FINAL_EXIT_ACCURACY);
        assertThat(report.testImages()).isEqualTo(source.real() ? 10_000 : 2_000);
        assertThat(report.history()).hasSize(3);
        // AdaLoss moved the weights away from their initial 1s, the final head keeping the largest
        double[] weights = report.history().get(2).weights();
        assertThat(weights[2]).isEqualTo(1.0);
        assertThat(weights[0]).isLessThan(1.0).isGreaterThanOrEqualTo(0.07);

        for (String file : new String[] {ReportFiles.JSON, ReportFiles.MARKDOWN, ReportFiles.PNG, ReportFiles.SVG,
                RunFolder.CONFIG, RunFolder.CHECKPOINT, RunFiles.MODEL}) {
            assertThat(folder.dir().resolve(file)).isNotEmptyFile();
        }
        assertThat(folder.readConfig()).isEqualTo(config);
        // every test image's prediction is kept, and agrees with the reported accuracies
        TestPredictions predictions = TestPredictions.read(folder.dir().resolve(TestPredictions.FILE));
        assertThat(predictions.images()).isEqualTo(report.testImages());
        for (int k = 0; k < report.exits().size(); k++) {
            boolean[] correct = predictions.correct(k);
            int right = 0;
            for (boolean c : correct) {
                right += c ? 1 : 0;
            }
            assertThat((double) right / correct.length).isEqualTo(report.exits().get(k).testAccuracy());
        }
        assertThat(ReportFiles.readJson(folder.dir().resolve(ReportFiles.JSON)).exits()).isEqualTo(report.exits());

        // evaluating the saved checkpoint reproduces the accuracies of the finished run
        RunReport again = TrainingRun.evaluate(RunFolder.of(folder.dir()), null, Device.cpu());
        assertThat(again.exits()).isEqualTo(report.exits());
        // so does the model file written beside it, opened the way a deployment opens it
        try (AnytimeModel deployed = AnytimeModel.open(folder.modelFile(), Device.cpu())) {
            ExitMetrics fromFile = ExitEvaluator.evaluate(deployed.network(), deployed.manager(), config.data().loadTest(),
                    deployed.normalization(), 256);
            assertThat(fromFile.accuracy()).containsExactly(report.exits().stream()
                    .mapToDouble(ExitResult::testAccuracy).toArray());
            assertThat(deployed.classNames()).isEqualTo(config.data().classNames());
            assertThat(deployed.exitCosts()).extracting(ExitCost::cumulativeMacs)
                    .isEqualTo(report.exits().stream().map(ExitResult::cumulativeMacs).toList());
        }
        assertThat(Files.list(folder.dir()).map(p -> p.getFileName().toString()))
                .noneMatch(name -> name.endsWith(".tmp"));
    }
}
