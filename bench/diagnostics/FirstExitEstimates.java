import ai.djl.Device;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.AnytimePredictor;
import dev.anytimenn.infer.InferenceEngine;
import dev.anytimenn.infer.StoppingRule;
import java.nio.file.Path;

/**
 * What a freshly warmed predictor expects a batch's first exit to take, by batch size, on an idle machine
 * (diagnostics: what `anytime serve` admission starts from, to set against its refusal messages under load);
 * then one image's estimate again after 64, 128 and 192 more runs of one image (what the warm-up left in it).
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp "core/target/anytime-nn.jar:core/target/lib/*" \
 *   bench/diagnostics/FirstExitEstimates.java [MODEL]     (pin it: taskset -c 0)
 */
public class FirstExitEstimates {
    public static void main(String[] args) throws Exception {
        try (AnytimeModel model = AnytimeModel.open(Path.of(args.length > 0 ? args[0] : "models/fashion-mnist"),
                Device.cpu())) {
            AnytimePredictor predictor = model.predictor(InferenceEngine.DJL);
            predictor.warmUpBatches(16);
            StringBuilder line = new StringBuilder("expected ms to the first exit, by batch:");
            for (int batch : new int[] {1, 2, 4, 5, 8, 9, 16}) {
                line.append(String.format(" %d: %.2f", batch, predictor.expectedMsToFirstExit(batch)));
            }
            System.out.println(line);
            byte[] blank = new byte[784];
            StringBuilder later = new StringBuilder("batch 1 after more single runs:");
            for (int runs = 64; runs <= 192; runs += 64) {
                for (int i = 0; i < 64; i++) {
                    predictor.predict(blank, new StoppingRule.RunAll());
                }
                later.append(String.format(" %d: %.2f", runs, predictor.expectedMsToFirstExit(1)));
            }
            System.out.println(later);
        }
    }
}
