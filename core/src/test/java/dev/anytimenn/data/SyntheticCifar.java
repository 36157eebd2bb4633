package dev.anytimenn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiny CIFAR binary files for tests: record r of a file has a recognisable pixel pattern. */
final class SyntheticCifar {

    static final int PIXELS = 3 * 32 * 32;

    private SyntheticCifar() {}

    /** Raw value of pixel (c, y, x) of the image made from {@code seed}. */
    static int pixel(int seed, int c, int y, int x) {
        return (seed * 31 + c * 85 + y * 7 + x * 3) & 0xFF;
    }

    /** Records with the given label bytes (one array per record) and images made from {@code firstSeed}, +1, ... */
    static Path write(Path file, int firstSeed, int[]... labelBytes) throws IOException {
        int header = labelBytes.length == 0 ? 0 : labelBytes[0].length;
        byte[] out = new byte[labelBytes.length * (header + PIXELS)];
        int at = 0;
        for (int r = 0; r < labelBytes.length; r++) {
            for (int b : labelBytes[r]) {
                out[at++] = (byte) b;
            }
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        out[at++] = (byte) pixel(firstSeed + r, c, y, x);
                    }
                }
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, out);
    }

    /** All six CIFAR-10 files, each with two records; labels run 0, 1, 2, ... over the files, modulo 10. */
    static Path writeCifar10(Path dir) throws IOException {
        int n = 0;
        for (String name : Cifar10.TRAIN_FILES) {
            write(dir.resolve(name), n, new int[] {n % 10}, new int[] {(n + 1) % 10});
            n += 2;
        }
        write(dir.resolve(Cifar10.TEST_FILE), 100, new int[] {9}, new int[] {3});
        return dir;
    }

    /** CIFAR-100 train (3 records) and test (1 record) with coarse/fine labels (c, f). */
    static Path writeCifar100(Path dir) throws IOException {
        write(dir.resolve(Cifar100.TRAIN_FILE), 0, new int[] {19, 99}, new int[] {0, 5}, new int[] {7, 42});
        write(dir.resolve(Cifar100.TEST_FILE), 50, new int[] {3, 30});
        return dir;
    }
}
