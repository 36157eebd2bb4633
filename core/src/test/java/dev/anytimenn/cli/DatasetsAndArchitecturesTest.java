package dev.anytimenn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anytimenn.io.Jsons;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every architecture trains from the command line on 3-channel CIFAR-format data and on an image folder. */
class DatasetsAndArchitecturesTest {

    @TempDir
    static Path temp;
    static Path cifar;
    static Path folder;

    @BeforeAll
    static void writeData() throws Exception {
        Random random = new Random(4);
        cifar = Files.createDirectories(temp.resolve("cifar-10-batches-bin"));
        for (int b = 1; b <= 5; b++) {
            Files.write(cifar.resolve("data_batch_" + b + ".bin"), cifarRecords(40, random));
        }
        Files.write(cifar.resolve("test_batch.bin"), cifarRecords(40, random));

        folder = temp.resolve("shapes");
        for (String name : new String[] {"circle", "square"}) {
            Files.createDirectories(folder.resolve(name));
            for (int i = 0; i < 20; i++) {
                BufferedImage image = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
                var g = image.createGraphics();
                g.setColor(new Color(random.nextInt(255), 200, 40));
                int x = random.nextInt(10);
                if (name.equals("circle")) {
                    g.fillOval(x, x, 25, 25);
                } else {
                    g.fillRect(x, x, 25, 25);
                }
                ImageIO.write(image, "png", folder.resolve(name).resolve(i + ".png").toFile());
            }
        }
    }

    /** CIFAR-10 records: label byte, then 3 x 32 x 32 pixels. */
    private static byte[] cifarRecords(int count, Random random) {
        byte[] out = new byte[count * 3073];
        for (int r = 0; r < count; r++) {
            int label = random.nextInt(10);
            out[r * 3073] = (byte) label;
            for (int p = 1; p < 3073; p++) {
                out[r * 3073 + p] = (byte) ((label * 25 + random.nextInt(30)) & 0xff);
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"resann", "densann", "msdnet"})
    void trainsOnCifarFormatData(String arch, @TempDir Path out) throws Exception {
        CliRun run = CliRun.of("train", "--dataset", "cifar10", "--data", temp.toString(), "--arch", arch,
                "--n", "1", "--c", "4", "--s", "1", "--epochs", "1", "--batch-size", "20", "--val-size", "40",
                "--out", out.resolve("run").toString());
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode config = Jsons.MAPPER.readTree(out.resolve("run/config.json").toFile());
        assertThat(config.at("/model/input/channels").asInt()).isEqualTo(3);
        assertThat(config.at("/model/input/height").asInt()).isEqualTo(32);
        assertThat(config.at("/model/classes").asInt()).isEqualTo(10);
        // CIFAR's standard augmentation unless asked otherwise
        assertThat(config.at("/training/cropPadding").asInt()).isEqualTo(4);
        assertThat(config.at("/training/flip").asBoolean()).isTrue();
        JsonNode report = Jsons.MAPPER.readTree(out.resolve("run/report.json").toFile());
        assertThat(report.get("exits")).hasSize(3);
        assertThat(report.get("testImages").asInt()).isEqualTo(40);

        CliRun predicted = CliRun.of("predict", out.resolve("run").toString(), "--input",
                folder.resolve("circle/0.png").toString(), "--json");
        assertThat(predicted.code()).as(predicted.err()).isZero();
        assertThat(Jsons.MAPPER.readTree(predicted.out()).get("probabilities")).hasSize(10);
    }

    @Test
    void trainsOnAnImageFolder(@TempDir Path out) throws Exception {
        CliRun run = CliRun.of("train", "--dataset", "folder", "--data", folder.toString(), "--image-size", "24",
                "--no-flip", "--n", "1", "--c", "4", "--epochs", "1", "--batch-size", "8", "--val-size", "8",
                "--out", out.resolve("run").toString());
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode config = Jsons.MAPPER.readTree(out.resolve("run/config.json").toFile());
        assertThat(config.at("/model/classes").asInt()).isEqualTo(2);
        assertThat(config.at("/model/input/width").asInt()).isEqualTo(24);
        assertThat(config.at("/training/flip").asBoolean()).isFalse();
        // it trained and evaluated: 3 exits, on the held-out test part of each class (20 % of 20 images)
        JsonNode report = Jsons.MAPPER.readTree(out.resolve("run/report.json").toFile());
        assertThat(report.get("exits")).hasSize(3);
        assertThat(report.get("testImages").asInt()).isEqualTo(2 * 4);
        assertThat(report.get("history")).hasSize(1);
    }

    @Test
    void anImageFolderWithItsOwnValidationPartValidatesOnIt(@TempDir Path root) throws Exception {
        int[] counts = {6, 3, 2}; // train, val, test images per class
        String[] parts = {"train", "val", "test"};
        for (int p = 0; p < parts.length; p++) {
            for (String name : new String[] {"circle", "square"}) {
                Path dir = Files.createDirectories(root.resolve(parts[p]).resolve(name));
                for (int i = 0; i < counts[p]; i++) {
                    Files.copy(folder.resolve(name).resolve(i + ".png"), dir.resolve(i + ".png"));
                }
            }
        }
        var data = new dev.anytimenn.data.DataConfig("folder", root.toString(), "fine", 16, 1);
        var training = new dev.anytimenn.train.TrainConfig(1, 4, 0.1, 0.9, false, 0, "cosine", 0, 1, 5, 0, 0, false,
                "const");
        var model = new dev.anytimenn.model.ModelConfig("resann", 1, 4, 1, 2,
                new dev.anytimenn.model.InputShape(3, 16, 16));
        var split = dev.anytimenn.train.TrainingRun.trainingData(
                new dev.anytimenn.train.RunConfig("val", model, training, data));
        // --val-size 5 is ignored: the val/ folder is the validation set, and nothing is held out of train/
        assertThat(split.train().size()).isEqualTo(12);
        assertThat(split.validation().size()).isEqualTo(6);
    }
}
