package dev.anytimenn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ImageFiles#decode}: an image held in memory reads as the same file on disk does. */
class ImageFilesTest {

    @TempDir
    Path temp;

    @Test
    void decodingBytesGivesThePixelsReadingTheFileGives() throws Exception {
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(200, 40, 90));
        g.fillOval(5, 5, 25, 18);
        g.dispose();
        for (String format : new String[] {"png", "jpg"}) {
            Path file = temp.resolve("picture." + format);
            ImageIO.write(image, format, file.toFile());
            byte[] bytes = Files.readAllBytes(file);
            for (int channels : new int[] {1, 3}) {
                byte[] fromFile = ImageFiles.read(file, channels, 28, 28, true);
                assertThat(ImageFiles.decode(bytes, Path.of("row 7"), channels, 28, 28, true))
                        .hasSize(channels * 28 * 28).containsExactly(fromFile);
            }
        }
    }

    @Test
    void bytesThatAreNoImageAreNamedBySource() {
        assertThatThrownBy(() -> ImageFiles.decode("not an image".getBytes(), Path.of("row 7"), 1, 28, 28, false))
                .isInstanceOf(DataFormatException.class).hasMessage("row 7: not a PNG or JPEG image");
        assertThatThrownBy(() -> ImageFiles.decode(new byte[0], Path.of("row 8"), 1, 28, 28, false))
                .isInstanceOf(DataFormatException.class).hasMessage("row 8: not a PNG or JPEG image");
    }
}
