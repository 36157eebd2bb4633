package dev.anytimenn.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Which data set a run uses and where its files are.
 *
 * @param dataset "fashion-mnist" or "mnist" (both IDX files with the standard names)
 * @param dir the folder holding the files
 */
public record DataConfig(String dataset, String dir) {

    private static final List<String> DATASETS = List.of("fashion-mnist", "mnist");

    public DataConfig {
        dataset = dataset == null ? "fashion-mnist" : dataset.toLowerCase(Locale.ROOT);
        if (!DATASETS.contains(dataset)) {
            throw new IllegalArgumentException("unknown dataset '" + dataset + "'; choose one of: "
                    + String.join(", ", DATASETS));
        }
        if (dir == null || dir.isBlank()) {
            dir = FashionMnist.DEFAULT_DIR.toString();
        }
    }

    public static DataConfig fashionMnist(Path dir) {
        return new DataConfig("fashion-mnist", dir == null ? null : dir.toString());
    }

    public Path path() {
        return Path.of(dir);
    }

    public ImageSet loadTrain() throws MissingDataException, DataFormatException, IOException {
        return FashionMnist.train(path());
    }

    public ImageSet loadTest() throws MissingDataException, DataFormatException, IOException {
        return FashionMnist.test(path());
    }
}
