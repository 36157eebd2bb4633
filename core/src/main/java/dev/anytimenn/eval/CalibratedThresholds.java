package dev.anytimenn.eval;

import dev.anytimenn.infer.ExitThresholds;
import dev.anytimenn.io.AtomicFiles;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.store.RunFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Confidence thresholds chosen by the budgeted-batch protocol, stored beside the model
 * ({@code thresholds.json}) so that a deployment reuses them; {@code store.ModelStore} reads them
 * into the model's description, whence {@code AnytimeModel.thresholds()} gives them.
 *
 * @param q the exit-distribution parameter they were calibrated for
 * @param testAccuracy and {@code averageMacs}: what they gave on the test set
 */
public record CalibratedThresholds(ExitThresholds thresholds, double q, double testAccuracy, double averageMacs,
        String choice) {

    public static final String FILE = RunFiles.THRESHOLDS;

    public void write(Path runDir) throws IOException {
        AtomicFiles.writeString(runDir.resolve(FILE), Jsons.MAPPER.writeValueAsString(this) + "\n");
    }
}
