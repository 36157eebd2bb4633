package dev.anytimenn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxImageSetsTest {

    @TempDir
    Path tmp;

    private Path images(String name, int n, int h, int w) throws Exception {
        Path f = tmp.resolve(name);
        byte[] px = new byte[n * h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) i;
        }
        IdxWriter.write(f, new int[] {n, h, w}, px, true);
        return f;
    }

    private Path labels(String name, int... values) throws Exception {
        Path f = tmp.resolve(name);
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        IdxWriter.write(f, new int[] {b.length}, b, true);
        return f;
    }

    @Test
    void loadsSingleChannelImages() throws Exception {
        ImageSet s = IdxImageSets.load(images("i", 3, 2, 4), labels("l", 2, 0, 9), 10);
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.channels()).isEqualTo(1);
        assertThat(s.height()).isEqualTo(2);
        assertThat(s.width()).isEqualTo(4);
        assertThat(s.classes()).isEqualTo(10);
        assertThat(s.labels()).containsExactly(2, 0, 9);
        assertThat(s.pixels()[23]).isEqualTo((byte) 23);
    }

    @Test
    void labelsAbove127AreUnsigned() throws Exception {
        ImageSet s = IdxImageSets.load(images("i", 1, 1, 1), labels("l", 200), 256);
        assertThat(s.labels()).containsExactly(200);
    }

    @Test
    void mismatchedCountsNameBothFiles() throws Exception {
        Path img = images("imgs.gz", 3, 2, 2);
        Path lab = labels("labs.gz", 1, 2);
        assertThatThrownBy(() -> IdxImageSets.load(img, lab, 10))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(lab + ": images file " + img + " has 3 images but labels file " + lab + " has 2 labels");
    }

    @Test
    void labelOutOfRangeNamesFileAndIndex() throws Exception {
        Path img = images("i", 3, 2, 2);
        Path lab = labels("l", 1, 10, 2);
        assertThatThrownBy(() -> IdxImageSets.load(img, lab, 10))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(lab + ": label 10 at index 1 is outside [0, 10)");
    }

    @Test
    void labelsFilePassedAsImages() throws Exception {
        Path lab = labels("l", 1, 2, 3);
        assertThatThrownBy(() -> IdxImageSets.load(lab, lab, 10))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(lab + ": expected an image file with 3 dimensions (N x height x width), "
                        + "found 1 dimension(s) [3]");
    }

    @Test
    void imagesFilePassedAsLabels() throws Exception {
        Path img = images("i", 3, 2, 2);
        assertThatThrownBy(() -> IdxImageSets.load(img, img, 10))
                .hasMessage(img + ": expected a label file with 1 dimension (N), found 3 dimension(s) [3, 2, 2]");
    }

    @Test
    void saveThenLoadRoundTrips() throws Exception {
        ImageSet s = IdxImageSets.load(images("i", 3, 2, 4), labels("l", 2, 0, 9), 10);
        ImageSet sub = s.take(new int[] {2, 0});
        IdxImageSets.save(sub, tmp.resolve("si"), tmp.resolve("sl"), false);
        ImageSet back = IdxImageSets.load(tmp.resolve("si"), tmp.resolve("sl"), 10);
        assertThat(back.pixels()).isEqualTo(sub.pixels());
        assertThat(back.labels()).containsExactly(9, 2);
    }
}
