package dev.anytimenn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

    @TempDir
    Path tmp;

    private static Path png(Path file, int width, int height, Color color) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return write(file, image);
    }

    private static Path write(Path file, BufferedImage image) throws IOException {
        Files.createDirectories(file.getParent());
        String format = file.toString().endsWith(".png") ? "png" : "jpg";
        if (!ImageIO.write(image, format, file.toFile())) {
            throw new IOException("no writer for " + format);
        }
        return file;
    }

    private static Color grey(int v) {
        return new Color(v, v, v);
    }

    /** Uniform grey images whose value identifies them: class c, image i has value 10 * (10 c + i) + 5. */
    private Path flatGrey(int classes, int perClass) throws IOException {
        Path dir = tmp.resolve("flat");
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < perClass; i++) {
                png(dir.resolve("class" + c).resolve("img" + i + ".png"), 8, 8, grey(10 * (10 * c + i) + 5));
            }
        }
        return dir;
    }

    /** The identifying value (first pixel) of every image. */
    private static Set<Integer> ids(ImageSet set) {
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < set.size(); i++) {
            ids.add(set.pixels()[i * set.imageSize()] & 0xFF);
        }
        return ids;
    }

    @Test
    void splitLayoutWithValidation() throws Exception {
        Path dir = tmp.resolve("split");
        for (String part : List.of("train", "val", "test")) {
            png(dir.resolve(part).resolve("dog").resolve("a.png"), 10, 10, Color.RED);
            png(dir.resolve(part).resolve("cat").resolve("a.png"), 10, 10, Color.BLUE);
            png(dir.resolve(part).resolve("cat").resolve("b.jpg"), 10, 10, Color.BLUE);
        }
        Files.writeString(dir.resolve("README.txt"), "files beside the parts are ignored");
        Files.writeString(dir.resolve("train").resolve("cat").resolve(".DS_Store"), "hidden files too");

        LabelledImages train = ImageFolder.train(dir, 16, 0);
        assertThat(train.classNames()).containsExactly("cat", "dog");
        assertThat(train.images().channels()).isEqualTo(3);
        assertThat(train.images().height()).isEqualTo(16);
        assertThat(train.images().classes()).isEqualTo(2);
        assertThat(train.images().labels()).containsExactlyInAnyOrder(0, 0, 1);
        LabelledImages test = ImageFolder.test(dir, 16, 0);
        assertThat(test.images().labels()).containsExactly(0, 0, 1); // class order, then file name
        assertThat(test.images().pixels()[2 * 16 * 16 * 3] & 0xFF).isEqualTo(255); // dog: red plane
        assertThat(ImageFolder.validation(dir, 16, 0)).hasValueSatisfying(
                v -> assertThat(v.images().size()).isEqualTo(3));
        assertThat(ImageFolder.classNames(dir)).containsExactly("cat", "dog");
    }

    @Test
    void flatLayoutIsSplitPerClassBySeed() throws Exception {
        Path dir = flatGrey(2, 10);
        LabelledImages train = ImageFolder.train(dir, 8, 1);
        LabelledImages test = ImageFolder.test(dir, 8, 1);
        assertThat(train.classNames()).containsExactly("class0", "class1");
        assertThat(train.images().size()).isEqualTo(16);
        assertThat(test.images().size()).isEqualTo(4);
        assertThat(test.images().labels()).containsExactly(0, 0, 1, 1); // 20 % of each class
        Set<Integer> trainIds = ids(train.images());
        Set<Integer> testIds = ids(test.images());
        assertThat(trainIds).hasSize(16).doesNotContainAnyElementsOf(testIds);
        assertThat(testIds).hasSize(4);
        assertThat(ImageFolder.validation(dir, 8, 1)).isEmpty();

        // same seed, same split; another seed, another split
        assertThat(ids(ImageFolder.test(dir, 8, 1).images())).isEqualTo(testIds);
        assertThat(ids(ImageFolder.train(dir, 8, 1).images())).isEqualTo(trainIds);
        assertThat(ImageFolder.train(dir, 8, 1).images().pixels()).isEqualTo(train.images().pixels());
        assertThat(ids(ImageFolder.test(dir, 8, 2).images())).isNotEqualTo(testIds);
    }

    @Test
    void trainingOrderIsShuffledSoAHeldOutTailSamplesEveryClass() throws Exception {
        Path dir = flatGrey(2, 10);
        int[] labels = ImageFolder.train(dir, 8, 3).images().labels();
        assertThat(labels).containsOnly(0, 1).isNotEqualTo(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1});
    }

    @Test
    void tinyClassesKeepAtLeastOneTrainingImage() throws Exception {
        Path dir = tmp.resolve("tiny");
        png(dir.resolve("a").resolve("1.png"), 4, 4, Color.RED);
        png(dir.resolve("b").resolve("1.png"), 4, 4, Color.GREEN);
        png(dir.resolve("b").resolve("2.png"), 4, 4, Color.GREEN);
        png(dir.resolve("b").resolve("3.png"), 4, 4, Color.GREEN);
        assertThat(ImageFolder.train(dir, 8, 0).images().labels()).containsExactlyInAnyOrder(0, 1, 1);
        assertThat(ImageFolder.test(dir, 8, 0).images().labels()).containsExactly(1); // round(0.6) = 1
    }

    @Test
    void resizesWithoutCroppingOrDistortingColour() throws Exception {
        // 64 wide, 48 high: left half red, right half blue
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 32, 48);
        g.setColor(Color.BLUE);
        g.fillRect(32, 0, 32, 48);
        g.dispose();
        Path dir = tmp.resolve("resize");
        write(dir.resolve("train").resolve("x").resolve("wide.png"), image);
        write(dir.resolve("test").resolve("x").resolve("wide.png"), image);

        ImageSet set = ImageFolder.train(dir, 32, 0).images();
        assertThat(set.channels()).isEqualTo(3);
        assertThat(set.height()).isEqualTo(32);
        assertThat(set.width()).isEqualTo(32);
        byte[] p = set.pixels();
        int plane = 32 * 32;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 15; x++) { // away from the blend at the boundary
                assertThat(p[y * 32 + x] & 0xFF).as("red at %d,%d", y, x).isEqualTo(255);
                assertThat(p[2 * plane + y * 32 + x] & 0xFF).as("no blue at %d,%d", y, x).isZero();
                assertThat(p[y * 32 + 31 - x] & 0xFF).as("no red at %d,%d", y, 31 - x).isZero();
                assertThat(p[2 * plane + y * 32 + 31 - x] & 0xFF).as("blue at %d,%d", y, 31 - x).isEqualTo(255);
            }
        }
        assertThat(ImageFolder.train(dir, 8, 0).images().imageSize()).isEqualTo(3 * 8 * 8);
    }

    @Test
    void greyWhenEveryTrainingImageIsGrey() throws Exception {
        Path dir = tmp.resolve("grey");
        png(dir.resolve("train").resolve("a").resolve("1.png"), 4, 4, grey(100));
        BufferedImage greyType = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        greyType.getRaster().setSample(0, 0, 0, 200);
        write(dir.resolve("train").resolve("b").resolve("1.png"), greyType);
        // a colour test image is converted by luminance: the test part follows the training part
        png(dir.resolve("test").resolve("a").resolve("1.png"), 4, 4, new Color(255, 0, 0));
        png(dir.resolve("test").resolve("b").resolve("1.png"), 4, 4, grey(7));

        ImageSet train = ImageFolder.train(dir, 4, 0).images();
        assertThat(train.channels()).isEqualTo(1);
        assertThat(ids(train)).containsExactlyInAnyOrder(100, 200);
        ImageSet test = ImageFolder.test(dir, 4, 0).images();
        assertThat(test.channels()).isEqualTo(1);
        assertThat(test.pixels()[0] & 0xFF).isEqualTo(76); // round(0.299 * 255)
        assertThat(test.pixels()[16] & 0xFF).isEqualTo(7);

        // one colour training image makes everything RGB
        png(dir.resolve("train").resolve("b").resolve("2.png"), 4, 4, new Color(10, 20, 30));
        assertThat(ImageFolder.train(dir, 4, 0).images().channels()).isEqualTo(3);
        ImageSet colourTest = ImageFolder.test(dir, 4, 0).images();
        assertThat(colourTest.channels()).isEqualTo(3);
        assertThat(colourTest.pixels()[16 * 3 + 32] & 0xFF).isEqualTo(7); // grey image: 7 in every plane
    }

    @Test
    void brokenImageIsNamed() throws Exception {
        Path dir = flatGrey(2, 3);
        Path broken = Files.writeString(dir.resolve("class1").resolve("notes.txt"), "not an image");
        assertThatThrownBy(() -> ImageFolder.train(dir, 8, 0))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(broken + ": not a PNG or JPEG image");

        Files.delete(broken);
        byte[] good = Files.readAllBytes(dir.resolve("class0").resolve("img0.png"));
        Path truncated = Files.write(dir.resolve("class0").resolve("img9.png"), Arrays.copyOf(good, 40));
        assertThatThrownBy(() -> {
            ImageFolder.train(dir, 8, 0);
            ImageFolder.test(dir, 8, 0);
        }).isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(truncated + ": ")
                .satisfies(e -> assertThat(((DataFormatException) e).file()).isEqualTo(truncated))
                .message().doesNotContain("\n");
    }

    @Test
    void classFoldersMustMatchBetweenParts() throws Exception {
        Path dir = tmp.resolve("mismatch");
        png(dir.resolve("train").resolve("a").resolve("1.png"), 4, 4, Color.RED);
        png(dir.resolve("train").resolve("b").resolve("1.png"), 4, 4, Color.RED);
        png(dir.resolve("test").resolve("a").resolve("1.png"), 4, 4, Color.RED);
        png(dir.resolve("test").resolve("c").resolve("1.png"), 4, 4, Color.RED);
        assertThatThrownBy(() -> ImageFolder.test(dir, 8, 0))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(dir + ": class folders of test/ differ from those of train/: missing [b], extra [c]");
    }

    @Test
    void emptyClassFolderAndOtherLayoutErrors() throws Exception {
        Path dir = flatGrey(2, 3);
        Path empty = Files.createDirectories(dir.resolve("class2"));
        assertThatThrownBy(() -> ImageFolder.train(dir, 8, 0))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(empty + ": class folder holds no images");

        Path half = tmp.resolve("half");
        png(half.resolve("train").resolve("a").resolve("1.png"), 4, 4, Color.RED);
        assertThatThrownBy(() -> ImageFolder.train(half, 8, 0))
                .hasMessageStartingWith(half + ": has a train/ folder but no test/ folder");

        Path bare = Files.createDirectories(tmp.resolve("bare"));
        assertThatThrownBy(() -> ImageFolder.train(bare, 8, 0))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(bare + ": holds no class folders");

        Path nowhere = tmp.resolve("nowhere");
        assertThatThrownBy(() -> ImageFolder.classNames(nowhere))
                .isInstanceOf(MissingDataException.class)
                .hasMessageContaining(nowhere + " does not exist");
    }

    @Test
    void classNamesAreSortedFolderNames() throws Exception {
        Path dir = tmp.resolve("names");
        List<String> names = new ArrayList<>(List.of("zebra", "Apple", "mango", "10", "9"));
        for (String n : names) {
            png(dir.resolve(n).resolve("x.png"), 4, 4, Color.RED);
        }
        assertThat(ImageFolder.classNames(dir)).containsExactly("10", "9", "Apple", "mango", "zebra");
    }
}
