package dev.anytimenn.spark;

import dev.anytimenn.data.FashionMnist;
import dev.anytimenn.data.IdxImageSets;
import dev.anytimenn.data.ImageSet;
import java.nio.file.Path;
import java.util.Random;

/**
 * Labelled 28x28 images for the tests: slices of Fashion-MNIST when it is installed, else seeded noise (the
 * shipped model's answers are then poor, but every equality the tests check holds all the same).
 */
final class TestImages {

    /** The network the repository ships (tests run in spark/). */
    static final Path MODEL = Path.of("../models/fashion-mnist");

    private TestImages() {}

    static boolean realData() {
        return FashionMnist.missingFiles(FashionMnist.DEFAULT_DIR).isEmpty();
    }

    /** The first {@code n} test images. */
    static ImageSet test(int n) throws Exception {
        return realData() ? FashionMnist.test(FashionMnist.DEFAULT_DIR).slice(0, n) : noise(n, 1);
    }

    /** The last {@code n} training images: the validation hold-out. */
    static ImageSet validation(int n) throws Exception {
        if (!realData()) {
            return noise(n, 2);
        }
        ImageSet train = FashionMnist.train(FashionMnist.DEFAULT_DIR);
        return train.slice(train.size() - n, train.size());
    }

    static ImageSet noise(int n, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[n * 28 * 28];
        random.nextBytes(pixels);
        int[] labels = random.ints(n, 0, 10).toArray();
        return new ImageSet(pixels, labels, 1, 28, 28, 10);
    }

    /** Writes {@code set} as {@code name}-images-idx3-ubyte.gz and the labels file beside it; returns the images file. */
    static Path writeIdx(ImageSet set, Path dir, String name) throws Exception {
        Path images = dir.resolve(name + "-images-idx3-ubyte.gz");
        IdxImageSets.save(set, images, dir.resolve(name + "-labels-idx1-ubyte.gz"), true);
        return images;
    }

    static byte[] image(ImageSet set, int i) {
        int size = set.imageSize();
        byte[] image = new byte[size];
        System.arraycopy(set.pixels(), i * size, image, 0, size);
        return image;
    }
}
