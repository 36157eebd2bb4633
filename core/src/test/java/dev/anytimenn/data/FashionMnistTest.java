package dev.anytimenn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @TempDir
    Path tmp;

    @Test
    void classNames() {
        assertThat(FashionMnist.CLASS_NAMES).hasSize(FashionMnist.CLASSES)
                .startsWith("T-shirt/top", "Trouser").endsWith("Bag", "Ankle boot");
    }

    @Test
    void missingFolderSaysSoAndHowToFixIt() {
        Path dir = tmp.resolve("no-such-dir");
        assertThat(FashionMnist.missingFiles(dir)).containsExactly("train-images-idx3-ubyte.gz",
                "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
        assertThatThrownBy(() -> FashionMnist.train(dir))
                .isInstanceOf(MissingDataException.class)
                .hasMessageContaining(dir + " does not exist")
                .hasMessageContaining("train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                        + "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz")
                .hasMessageContaining("sudo apt-get install dataset-fashion-mnist")
                .hasMessageContaining("--data DIR")
                .message().doesNotContain("\n");
    }

    @Test
    void missingFileIsListed() throws Exception {
        SyntheticIdx.writeLearnable(tmp, 20, 10, 1);
        Files.delete(tmp.resolve("t10k-labels-idx1-ubyte.gz"));

        assertThat(FashionMnist.missingFiles(tmp)).containsExactly("t10k-labels-idx1-ubyte.gz");
        assertThatThrownBy(() -> FashionMnist.test(tmp))
                .isInstanceOf(MissingDataException.class)
                .hasMessageContaining(tmp + " is missing t10k-labels-idx1-ubyte.gz")
                .hasMessageNotContaining("does not exist")
                .hasMessageContaining("sudo apt-get install dataset-fashion-mnist")
                .satisfies(e -> assertThat(((MissingDataException) e).missingFiles())
                        .containsExactly("t10k-labels-idx1-ubyte.gz"));
        assertThat(FashionMnist.train(tmp).size()).isEqualTo(20); // the train split is still usable
    }

    @Test
    void acceptsUngzippedNames() throws Exception {
        Path gz = SyntheticIdx.writeLearnable(tmp.resolve("gz"), 30, 10, 2);
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        for (String base : List.of(FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS,
                FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS)) {
            IdxArray a = IdxReader.read(gz.resolve(base + ".gz"));
            IdxWriter.write(plain.resolve(base), a.dims(), a.data(), false);
        }
        assertThat(FashionMnist.missingFiles(plain)).isEmpty();
        ImageSet fromGz = FashionMnist.train(gz);
        ImageSet fromPlain = FashionMnist.train(plain);
        assertThat(fromPlain.pixels()).isEqualTo(fromGz.pixels());
        assertThat(fromPlain.labels()).isEqualTo(fromGz.labels());
        assertThat(FashionMnist.test(plain).size()).isEqualTo(10);
    }

    @Test
    void corruptFileIsAFormatErrorNotMissing() throws Exception {
        SyntheticIdx.writeLearnable(tmp, 20, 10, 1);
        Path labels = tmp.resolve("train-labels-idx1-ubyte.gz");
        Files.write(labels, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> FashionMnist.train(tmp))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(labels.toString());
    }

    @Test
    void realDataSetIfInstalled() throws Exception {
        Path dir = FashionMnist.DEFAULT_DIR;
        boolean installed = FashionMnist.missingFiles(dir).isEmpty();
        if (!installed) {
            System.out.println("SKIPPED FashionMnistTest.realDataSetIfInstalled: no Fashion-MNIST in " + dir);
        }
        Assumptions.assumeTrue(installed, "Fashion-MNIST not installed in " + dir);

        ImageSet train = FashionMnist.train(dir);
        ImageSet test = FashionMnist.test(dir);
        for (ImageSet s : List.of(train, test)) {
            assertThat(s.channels()).isEqualTo(1);
            assertThat(s.height()).isEqualTo(28);
            assertThat(s.width()).isEqualTo(28);
            assertThat(s.classes()).isEqualTo(10);
        }
        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        int[] perClass = new int[10];
        for (int l : train.labels()) {
            perClass[l]++;
        }
        assertThat(perClass).containsOnly(6_000);
        // Widely published Fashion-MNIST training statistics.
        Normalization n = Normalization.fit(train);
        assertThat(n.channels()).isEqualTo(1);
        assertThat(n.mean()[0]).isCloseTo(0.2860f, within(1e-4f));
        assertThat(n.std()[0]).isCloseTo(0.3530f, within(1e-4f));
    }
}
