package dev.anytimenn.train;

import dev.anytimenn.data.FashionMnist;
import dev.anytimenn.data.SyntheticIdx;
import java.io.IOException;
import java.nio.file.Path;

/** Real Fashion-MNIST when installed; otherwise a learnable stand-in the test writes, and says so. */
final class TestData {

    private TestData() {}

    /** The folder to train on, and whether it is the real data set. */
    record Source(Path dir, boolean real) {}

    /** Real data unless missing, or unless -Danytime.test.synthetic=true asks for the fallback. */
    static Source fashionMnistOrSynthetic(Path tempDir, String testName) throws IOException {
        boolean forced = Boolean.getBoolean("anytime.test.synthetic");
        if (!forced && FashionMnist.missingFiles(FashionMnist.DEFAULT_DIR).isEmpty()) {
            System.out.println(testName + ": using real Fashion-MNIST from " + FashionMnist.DEFAULT_DIR);
            return new Source(FashionMnist.DEFAULT_DIR, true);
        }
        Path dir = SyntheticIdx.writeLearnable(tempDir.resolve("synthetic"), 6000, 2000, 7);
        System.out.println(testName + (forced ? ": -Danytime.test.synthetic=true asks for generated data;"
                : ": Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist);")
                + " using a generated learnable IDX data set in " + dir + " instead");
        return new Source(dir, false);
    }
}
