package dev.anytimenn.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anytimenn.io.Jsons;
import java.util.List;

final class Samples {

    private Samples() {
    }

    static JsonNode config() {
        try {
            return Jsons.MAPPER.readTree("""
                    {"model": {"kind": "msdnet", "units": [3, 3, 3], "width": 16},
                     "weighting": {"scheme": "adaloss", "epsilon": 0.01},
                     "train": {"epochs": 2, "lr": 0.1, "schedule": {"type": "cosine"}},
                     "seed": 42}""");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Four exits; exit 1 is at exactly a quarter of the full cost (40 MMACs of 160). */
    static List<ExitResult> exits() {
        return List.of(
                new ExitResult(1, 2, 40_000_000L, 40_000_000L, 0.61),
                new ExitResult(2, 4, 40_000_000L, 80_000_000L, 0.72),
                new ExitResult(3, 6, 40_000_000L, 120_000_000L, 0.775),
                new ExitResult(4, 8, 40_000_000L, 160_000_000L, 0.8012));
    }

    static RunReport report() {
        List<EpochSummary> history = List.of(
                new EpochSummary(1, 1.9, 0.1, 12.5, 4000.0,
                        new double[] {0.4, 0.5, 0.55, 0.58}, new double[] {1.6, 1.4, 1.3, 1.2},
                        new double[] {0.25, 0.25, 0.25, 0.25}),
                new EpochSummary(2, 1.2, 0.00005, 12.1, 4100.0,
                        new double[] {0.55, 0.65, 0.7, 0.72}, new double[] {1.2, 1.0, 0.9, 0.85},
                        new double[] {0.4, 0.3, 0.2, 0.1}));
        return new RunReport("msd-adaloss-c10", "2025-01-02T03:04:05Z", "cifar10", 10000,
                config(), exits(), history, 24.6);
    }
}
