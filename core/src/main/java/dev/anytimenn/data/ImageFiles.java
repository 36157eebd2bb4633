package dev.anytimenn.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Reads single images (PNG, JPEG, or one image of an IDX file) as model input pixels. */
public final class ImageFiles {

    private ImageFiles() {}

    /**
     * A PNG or JPEG file resized to {@code height x width} and converted to {@code channels} (1: grey
     * by luminance, 3: RGB), as uint8 C x H x W.
     *
     * @param invert turn dark-on-light pictures into the light-on-dark of MNIST-style data
     */
    public static byte[] read(Path file, int channels, int height, int width, boolean invert)
            throws DataFormatException, IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file, "no such file");
        }
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            // Some ImageIO decoders fail on corrupt data with runtime exceptions instead of IIOException.
            throw new DataFormatException(file, "unreadable image (" + e.getMessage() + ")", e);
        }
        return pixels(image, file, channels, height, width, invert);
    }

    /**
     * A PNG or JPEG file's bytes, already in memory (e.g. a row of a table), as {@link #read} reads the file;
     * {@code source} only names it in errors.
     */
    public static byte[] decode(byte[] encoded, Path source, int channels, int height, int width, boolean invert)
            throws DataFormatException {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(encoded));
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(source, "unreadable image (" + e.getMessage() + ")", e);
        }
        return pixels(image, source, channels, height, width, invert);
    }

    private static byte[] pixels(BufferedImage image, Path source, int channels, int height, int width, boolean invert)
            throws DataFormatException {
        if (image == null) {
            throw new DataFormatException(source, "not a PNG or JPEG image");
        }
        return toPixels(image, channels, height, width, invert);
    }

    /**
     * Encoded PNG or JPEG bytes (from a request, say) as {@link #read} gives a file's pixels. The
     * image's size is read from its header first: one of more than {@code maxPixels} pixels is refused
     * before it is decoded.
     *
     * @throws IllegalArgumentException with a one-line reason when the bytes are no such image
     */
    public static byte[] decode(byte[] encoded, int channels, int height, int width, boolean invert, long maxPixels) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new NotAnImage("not a PNG or JPEG image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > maxPixels) {
                    throw new NotAnImage("the image has " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " pixels, more than the limit of " + maxPixels);
                }
                return toPixels(reader.read(0), channels, height, width, invert);
            } finally {
                reader.dispose();
            }
        } catch (NotAnImage e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // decoders fail on corrupt data with IIOException or with runtime exceptions of their own
            throw new IllegalArgumentException("unreadable image (" + oneLine(e.getMessage()) + ")", e);
        }
    }

    /** A refusal of {@link #decode} that is already worded for the caller. */
    private static final class NotAnImage extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NotAnImage(String message) {
            super(message);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "no detail" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    private static byte[] toPixels(BufferedImage image, int channels, int height, int width, boolean invert) {
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        byte[] pixels = new byte[channels * height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = scaled.getRGB(x, y);
                int[] c = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                if (channels == 1) {
                    int grey = (int) Math.round(0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]);
                    pixels[y * width + x] = (byte) (invert ? 255 - grey : grey);
                } else {
                    for (int ch = 0; ch < channels; ch++) {
                        int v = c[Math.min(ch, 2)];
                        pixels[(ch * height + y) * width + x] = (byte) (invert ? 255 - v : v);
                    }
                }
            }
        }
        return pixels;
    }

    /** Image {@code index} (0-based) of an IDX image file (N x H x W, or N x C x H x W). */
    public static byte[] readIdx(Path file, int index) throws DataFormatException, IOException {
        IdxArray array = IdxReader.read(file);
        int[] dims = array.dims();
        if (dims.length < 3) {
            throw new DataFormatException(file, "holds " + dims.length + "-dimensional data, not images");
        }
        if (index < 0 || index >= dims[0]) {
            throw new DataFormatException(file, "has " + dims[0] + " images; index " + index + " is out of range");
        }
        int size = array.data().length / dims[0];
        return Arrays.copyOfRange(array.data(), index * size, (index + 1) * size);
    }
}
