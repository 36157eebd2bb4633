package dev.anytimenn.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticIdxTest {

    @TempDir
    Path tmp;

    @Test
    void loadsAsFashionMnist() throws Exception {
        Path dir = SyntheticIdx.writeLearnable(tmp.resolve("syn"), 500, 200, 7);
        ImageSet train = FashionMnist.train(dir);
        ImageSet test = FashionMnist.test(dir);
        assertThat(train.size()).isEqualTo(500);
        assertThat(test.size()).isEqualTo(200);
        assertThat(train.height()).isEqualTo(28);
        assertThat(train.width()).isEqualTo(28);
        assertThat(train.classes()).isEqualTo(10);
        int[] perClass = new int[10];
        for (int l : train.labels()) {
            perClass[l]++;
        }
        assertThat(perClass).containsOnly(50);
    }

    @Test
    void sameSeedSameFiles() throws Exception {
        Path a = SyntheticIdx.writeLearnable(tmp.resolve("a"), 50, 20, 3);
        Path b = SyntheticIdx.writeLearnable(tmp.resolve("b"), 50, 20, 3);
        assertThat(FashionMnist.train(a).pixels()).isEqualTo(FashionMnist.train(b).pixels());
        assertThat(Files.readAllBytes(a.resolve("t10k-labels-idx1-ubyte.gz")))
                .isEqualTo(Files.readAllBytes(b.resolve("t10k-labels-idx1-ubyte.gz")));
    }

    /** Learnable: even a nearest-centroid classifier does well; not trivial: it is not perfect. */
    @Test
    void isLearnableButNotTrivial() throws Exception {
        Path dir = SyntheticIdx.writeLearnable(tmp, 2000, 1000, 11);
        ImageSet train = FashionMnist.train(dir);
        ImageSet test = FashionMnist.test(dir);
        int px = train.imageSize();
        double[][] centroid = new double[10][px];
        int[] count = new int[10];
        for (int i = 0; i < train.size(); i++) {
            int l = train.labels()[i];
            count[l]++;
            for (int k = 0; k < px; k++) {
                centroid[l][k] += train.pixels()[i * px + k] & 0xFF;
            }
        }
        for (int c = 0; c < 10; c++) {
            for (int k = 0; k < px; k++) {
                centroid[c][k] /= count[c];
            }
        }
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            int best = -1;
            double bestDist = Double.MAX_VALUE;
            for (int c = 0; c < 10; c++) {
                double d = 0;
                for (int k = 0; k < px; k++) {
                    double diff = (test.pixels()[i * px + k] & 0xFF) - centroid[c][k];
                    d += diff * diff;
                }
                if (d < bestDist) {
                    bestDist = d;
                    best = c;
                }
            }
            correct += best == test.labels()[i] ? 1 : 0;
        }
        double accuracy = correct / (double) test.size();
        System.out.println("SyntheticIdx nearest-centroid test accuracy: " + accuracy);
        assertThat(accuracy).isGreaterThan(0.9).isLessThan(1.0);
    }
}
