package dev.anytimenn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anytimenn.io.Jsons;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataConfigTest {

    @TempDir
    Path tmp;

    private static DataConfig config(String dataset, Path dir) {
        return new DataConfig(dataset, dir.toString());
    }

    private static void assertShape(ImageSet set, int channels, int side, int classes) {
        assertThat(set.channels()).isEqualTo(channels);
        assertThat(set.height()).isEqualTo(side);
        assertThat(set.width()).isEqualTo(side);
        assertThat(set.classes()).isEqualTo(classes);
    }

    @Test
    void fashionMnistAndMnist() throws Exception {
        SyntheticIdx.writeLearnable(tmp, 20, 10, 1);
        for (String dataset : List.of("fashion-mnist", "mnist")) {
            DataConfig c = config(dataset, tmp);
            assertShape(c.loadTrain(), 1, 28, 10);
            assertThat(c.loadTest().size()).isEqualTo(10);
            assertThat(c.imageSize()).isEqualTo(28);
            assertThat(c.label()).isNull();
            assertThat(c.defaultAugmentation()).isEqualTo(new Augmentation(2, false));
            assertThat(c.loadValidation()).isEmpty();
        }
        assertThat(config("fashion-mnist", tmp).classNames()).isEqualTo(FashionMnist.CLASS_NAMES);
        assertThat(config("MNIST", tmp).classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(new DataConfig(null, null).dir()).isEqualTo(FashionMnist.DEFAULT_DIR.toString());
        assertThat(DataConfig.fashionMnist(null)).isEqualTo(new DataConfig("fashion-mnist", null));
    }

    @Test
    void mnistMissingFilesSayMnist() {
        Path nowhere = tmp.resolve("nowhere");
        assertThatThrownBy(() -> config("mnist", nowhere).loadTrain())
                .isInstanceOf(MissingDataException.class)
                .hasMessageStartingWith("MNIST data folder " + nowhere + " does not exist")
                .hasMessageNotContaining("Fashion")
                .hasMessageNotContaining("apt-get");
    }

    @Test
    void cifar10() throws Exception {
        SyntheticCifar.writeCifar10(tmp.resolve(Cifar10.SUBFOLDER));
        DataConfig c = config("cifar10", tmp);
        assertShape(c.loadTrain(), 3, 32, 10);
        assertShape(c.loadTest(), 3, 32, 10);
        assertThat(c.classNames()).isEqualTo(Cifar10.CLASS_NAMES);
        assertThat(c.defaultAugmentation()).isEqualTo(new Augmentation(4, true));
        assertThat(c.imageSize()).isEqualTo(32);
    }

    @Test
    void cifar100FineByDefaultOrCoarse() throws Exception {
        SyntheticCifar.writeCifar100(tmp);
        Files.write(tmp.resolve("fine_label_names.txt"), IntStream.range(0, 100)
                .mapToObj(i -> "fine" + i).toList());
        DataConfig fine = config("cifar100", tmp);
        assertThat(fine.label()).isEqualTo("fine");
        assertShape(fine.loadTrain(), 3, 32, 100);
        assertThat(fine.loadTest().labels()).containsExactly(30);
        assertThat(fine.classNames()).hasSize(100).startsWith("fine0");
        DataConfig coarse = new DataConfig("cifar100", tmp.toString(), "COARSE", 0, 0);
        assertThat(coarse.label()).isEqualTo("coarse");
        assertShape(coarse.loadTrain(), 3, 32, 20);
        assertThat(coarse.loadTest().labels()).containsExactly(3);
        assertThat(coarse.classNames()).hasSize(20).startsWith("class 0"); // no coarse names file
        assertThat(coarse.defaultAugmentation()).isEqualTo(new Augmentation(4, true));
    }

    @Test
    void folder() throws Exception {
        for (String c : List.of("cat", "dog")) {
            for (int i = 0; i < 5; i++) {
                Path f = Files.createDirectories(tmp.resolve(c)).resolve(i + ".png");
                ImageIO.write(new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB), "png", f.toFile());
            }
        }
        DataConfig c = new DataConfig("folder", tmp.toString(), null, 16, 7);
        assertShape(c.loadTrain(), 1, 16, 2); // black images are grey
        assertThat(c.loadTrain().size()).isEqualTo(8);
        assertThat(c.loadTest().size()).isEqualTo(2);
        assertThat(c.loadValidation()).isEmpty();
        assertThat(c.classNames()).containsExactly("cat", "dog");
        assertThat(c.defaultAugmentation()).isEqualTo(new Augmentation(0, true));
        assertThat(config("folder", tmp).imageSize()).isEqualTo(32);
    }

    @Test
    void fieldValidation() {
        String d = tmp.toString();
        assertThatThrownBy(() -> new DataConfig("imagenet", d))
                .hasMessage("unknown dataset 'imagenet'; choose one of: fashion-mnist, mnist, cifar10, cifar100, folder");
        for (String dataset : List.of("mnist", "cifar10", "cifar100", "folder")) {
            assertThatThrownBy(() -> new DataConfig(dataset, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("dir is required for dataset " + dataset
                            + ": pass --data DIR with the folder holding its files");
        }
        assertThatThrownBy(() -> new DataConfig("cifar100", d, "medium", 0, 0))
                .hasMessage("label must be fine or coarse, got 'medium'");
        assertThatThrownBy(() -> new DataConfig("folder", d, null, 4, 0))
                .hasMessage("imageSize must be 8..512, got 4");
        assertThatThrownBy(() -> new DataConfig("folder", d, null, 513, 0))
                .hasMessage("imageSize must be 8..512, got 513");
        assertThatThrownBy(() -> new DataConfig("cifar10", d, null, 64, 0))
                .hasMessage("imageSize must be 32 for dataset cifar10 (only the folder data set is resized), got 64");
        assertThat(new DataConfig("folder", d, null, 8, 0).imageSize()).isEqualTo(8);
        assertThat(new DataConfig("folder", d, null, 512, 0).imageSize()).isEqualTo(512);
    }

    @Test
    void jsonRoundTripAndOldConfigs() throws Exception {
        DataConfig c = new DataConfig("cifar100", "/data/c100", "coarse", 0, 5);
        String json = Jsons.MAPPER.writeValueAsString(c);
        assertThat(Jsons.MAPPER.readValue(json, DataConfig.class)).isEqualTo(c);
        // run folders written before these fields existed
        DataConfig old = Jsons.MAPPER.readValue("{\"dataset\": \"fashion-mnist\", \"dir\": \"/x\"}", DataConfig.class);
        assertThat(old).isEqualTo(new DataConfig("fashion-mnist", "/x"));
        assertThat(old.imageSize()).isEqualTo(28);
        assertThat(c.withDir("/elsewhere")).isEqualTo(new DataConfig("cifar100", "/elsewhere", "coarse", 32, 5));
    }
}
