package dev.anytimenn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarTest {

    @TempDir
    Path tmp;

    private static void assertImage(ImageSet set, int index, int seed) {
        int px = set.imageSize();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    // C x H x W: plane c, then row y, then column x
                    int got = set.pixels()[index * px + (c * 32 + y) * 32 + x] & 0xFF;
                    if (got != SyntheticCifar.pixel(seed, c, y, x)) {
                        throw new AssertionError("image " + index + " pixel (" + c + "," + y + "," + x + ") is "
                                + got + ", expected " + SyntheticCifar.pixel(seed, c, y, x));
                    }
                }
            }
        }
    }

    @Test
    void cifar10RoundTrip() throws Exception {
        SyntheticCifar.writeCifar10(tmp);
        ImageSet train = Cifar10.train(tmp);
        assertThat(train.size()).isEqualTo(10);
        assertThat(train.channels()).isEqualTo(3);
        assertThat(train.height()).isEqualTo(32);
        assertThat(train.width()).isEqualTo(32);
        assertThat(train.classes()).isEqualTo(10);
        assertThat(train.labels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9); // files in batch order
        for (int i = 0; i < 10; i++) {
            assertImage(train, i, i);
        }
        ImageSet test = Cifar10.test(tmp);
        assertThat(test.labels()).containsExactly(9, 3);
        assertImage(test, 0, 100);
        assertImage(test, 1, 101);
        assertThat(Cifar10.missingFiles(tmp)).isEmpty();
    }

    @Test
    void cifar10InTheArchiveSubfolder() throws Exception {
        SyntheticCifar.writeCifar10(tmp.resolve(Cifar10.SUBFOLDER));
        assertThat(Cifar10.train(tmp).size()).isEqualTo(10);
        assertThat(Cifar10.test(tmp).labels()).containsExactly(9, 3);
        assertThat(Cifar10.missingFiles(tmp)).isEmpty();
    }

    @Test
    void cifar100FineAndCoarse() throws Exception {
        SyntheticCifar.writeCifar100(tmp.resolve(Cifar100.SUBFOLDER));
        ImageSet fine = Cifar100.train(tmp, Cifar100.Label.FINE);
        assertThat(fine.classes()).isEqualTo(100);
        assertThat(fine.labels()).containsExactly(99, 5, 42);
        ImageSet coarse = Cifar100.train(tmp, Cifar100.Label.COARSE);
        assertThat(coarse.classes()).isEqualTo(20);
        assertThat(coarse.labels()).containsExactly(19, 0, 7);
        for (int i = 0; i < 3; i++) {
            assertImage(fine, i, i); // two label bytes skipped, not one
            assertImage(coarse, i, i);
        }
        ImageSet test = Cifar100.test(tmp, Cifar100.Label.FINE);
        assertThat(test.labels()).containsExactly(30);
        assertImage(test, 0, 50);
        assertThat(test.channels()).isEqualTo(3);
    }

    @Test
    void cifar100FilesDirectlyInTheFolder() throws Exception {
        SyntheticCifar.writeCifar100(tmp);
        assertThat(Cifar100.test(tmp, Cifar100.Label.COARSE).labels()).containsExactly(3);
    }

    @Test
    void partialRecordIsTruncation() throws Exception {
        SyntheticCifar.writeCifar10(tmp);
        Path file = tmp.resolve("data_batch_3.bin");
        Files.write(file, new byte[] {1}, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> Cifar10.train(tmp))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(file + ": truncated: 6147 bytes is not a whole number of 3073-byte records");
        SyntheticCifar.writeCifar100(tmp);
        Files.write(tmp.resolve("test.bin"), new byte[3073]); // a CIFAR-10 sized record
        assertThatThrownBy(() -> Cifar100.test(tmp, Cifar100.Label.FINE))
                .hasMessage(tmp.resolve("test.bin")
                        + ": truncated: 3073 bytes is not a whole number of 3074-byte records");
    }

    @Test
    void emptyFile() throws Exception {
        SyntheticCifar.writeCifar10(tmp);
        Files.write(tmp.resolve("test_batch.bin"), new byte[0]);
        assertThatThrownBy(() -> Cifar10.test(tmp))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(tmp.resolve("test_batch.bin") + ": empty: 0 bytes, expected 3073-byte records");
    }

    @Test
    void labelOutOfRangeNamesTheRecord() throws Exception {
        SyntheticCifar.writeCifar10(tmp);
        Path file = SyntheticCifar.write(tmp.resolve("test_batch.bin"), 0, new int[] {1}, new int[] {10});
        assertThatThrownBy(() -> Cifar10.test(tmp))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(file + ": label 10 of record 1 is outside [0, 10)");

        Path hundred = SyntheticCifar.write(tmp.resolve("test.bin"), 0, new int[] {0, 0}, new int[] {2, 3},
                new int[] {20, 3});
        SyntheticCifar.write(tmp.resolve("train.bin"), 0, new int[] {0, 100});
        // The coarse label is checked even when learning the fine one: a bad byte means a bad file.
        assertThatThrownBy(() -> Cifar100.test(tmp, Cifar100.Label.FINE))
                .hasMessage(hundred + ": coarse label 20 of record 2 is outside [0, 20)");
        assertThatThrownBy(() -> Cifar100.train(tmp, Cifar100.Label.COARSE))
                .hasMessage(tmp.resolve("train.bin") + ": fine label 100 of record 0 is outside [0, 100)");
    }

    @Test
    void missingFilesAreListedAndTheBinaryVersionNamed() throws Exception {
        SyntheticCifar.writeCifar10(tmp);
        Files.delete(tmp.resolve("data_batch_2.bin"));
        Files.delete(tmp.resolve("test_batch.bin"));
        assertThat(Cifar10.missingFiles(tmp)).containsExactly("data_batch_2.bin", "test_batch.bin");
        assertThatThrownBy(() -> Cifar10.train(tmp))
                .isInstanceOf(MissingDataException.class)
                .hasMessageContaining("is missing data_batch_2.bin, test_batch.bin")
                .hasMessageContaining("binary version of CIFAR-10 (cifar-10-binary.tar.gz")
                .hasMessageContaining("or in its cifar-10-batches-bin sub-folder")
                .satisfies(e -> assertThat(((MissingDataException) e).missingFiles())
                        .containsExactly("data_batch_2.bin", "test_batch.bin"))
                .message().doesNotContain("\n");

        Path nowhere = tmp.resolve("nowhere");
        assertThatThrownBy(() -> Cifar100.test(nowhere, Cifar100.Label.FINE))
                .isInstanceOf(MissingDataException.class)
                .hasMessageContaining(nowhere + " does not exist (expected files: train.bin, test.bin)")
                .hasMessageContaining("binary version of CIFAR-100 (cifar-100-binary.tar.gz")
                .hasMessageContaining("cifar-100-binary sub-folder");
    }

    @Test
    void classNamesFromTheArchiveWhenPresent() throws Exception {
        assertThat(Cifar10.classNames(tmp)).isEqualTo(Cifar10.CLASS_NAMES).hasSize(10).startsWith("airplane");
        assertThat(Cifar100.classNames(tmp, Cifar100.Label.FINE)).hasSize(100).startsWith("class 0", "class 1")
                .endsWith("class 99");
        assertThat(Cifar100.classNames(tmp, Cifar100.Label.COARSE)).hasSize(20).endsWith("class 19");

        Files.createDirectories(tmp.resolve(Cifar10.SUBFOLDER));
        Files.write(tmp.resolve(Cifar10.SUBFOLDER).resolve("batches.meta.txt"),
                List.of("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck", ""));
        assertThat(Cifar10.classNames(tmp)).startsWith("plane", "car").hasSize(10);
        Files.write(tmp.resolve("coarse_label_names.txt"), List.of("aquatic_mammals", "fish"));
        assertThatThrownBy(() -> Cifar100.classNames(tmp, Cifar100.Label.COARSE))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(tmp.resolve("coarse_label_names.txt") + ": has 2 class names, expected 20 (one per line)");
    }

    @Test
    void labelIds() {
        assertThat(Cifar100.Label.of("Coarse")).isEqualTo(Cifar100.Label.COARSE);
        assertThat(Cifar100.Label.FINE.id()).isEqualTo("fine");
        assertThatThrownBy(() -> Cifar100.Label.of("medium")).hasMessage("label must be fine or coarse, got 'medium'");
    }
}
