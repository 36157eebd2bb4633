package dev.anytimenn.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.anytimenn.data.FashionMnist;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.SyntheticIdx;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.infer.ConfidenceScore;
import dev.anytimenn.infer.InferenceEngine;
import dev.anytimenn.model.ExitCost;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link EvaluationProtocols#calibrate}: the budgeted protocol's stored thresholds, from the validation set alone. */
class EvaluationProtocolsTest {

    /** The network the repository ships (tests run in core/). */
    static final Path SHIPPED_MODEL = Path.of("../models/fashion-mnist");

    @TempDir
    static Path temp;
    static AnytimeModel model;
    static ImageSet validation;
    static ImageSet test;

    @BeforeAll
    static void openModelAndData() throws Exception {
        Path data = SyntheticIdx.writeLearnable(temp, 300, 200, 5);
        validation = FashionMnist.train(data);
        test = FashionMnist.test(data);
        model = AnytimeModel.open(SHIPPED_MODEL, Device.cpu());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void calibrateGivesTheThresholdsTheBudgetedProtocolStores() {
        for (ConfidenceScore score : new ConfidenceScore[] {ConfidenceScore.MAX_SOFTMAX, ConfidenceScore.MARGIN}) {
            EvaluationProtocols.BudgetedProtocol protocol = EvaluationProtocols.budgeted(model, validation, test, score,
                    null);
            EvaluationProtocols.Calibration calibration = EvaluationProtocols.calibrate(model, validation, score, null);

            assertThat(calibration.thresholds()).isEqualTo(protocol.thresholds());
            assertThat(calibration.q()).isEqualTo(protocol.chosen().q());
            assertThat(calibration.choice()).isEqualTo(protocol.choice());
        }
    }

    @Test
    void theValidationOutcomeIsWhatTheThresholdsGiveOnTheValidationSet() {
        long[] costs = model.exitCosts().stream().mapToLong(ExitCost::cumulativeMacs).toArray();
        // a target between the first and the last exit's cost, so some thresholds fit and not all
        double target = (costs[0] + costs[costs.length - 1]) / 2.0;
        EvaluationProtocols.Calibration calibration = EvaluationProtocols.calibrate(model, validation,
                ConfidenceScore.MAX_SOFTMAX, target);

        ExitOutputs outputs = ExitOutputs.compute(model, validation, InferenceEngine.DJL, 64);
        BudgetedBatch.Outcome replayed = BudgetedBatch.evaluate(calibration.thresholds(),
                outputs.scores(ConfidenceScore.MAX_SOFTMAX), outputs.predictions(), outputs.labels(), costs);
        assertThat(calibration.onValidation()).isEqualTo(replayed.withQ(calibration.q()));
        assertThat(calibration.onValidation().averageMacs()).isLessThanOrEqualTo(target);
        assertThat(calibration.choice()).contains("--target-macs");
    }

    @Test
    void anEmptyValidationSetOrAnUnreachableTargetIsRefused() {
        assertThatThrownBy(() -> EvaluationProtocols.calibrate(model, validation.slice(0, 0), ConfidenceScore.MARGIN,
                null)).hasMessage("there is no validation split to calibrate thresholds on");
        assertThatThrownBy(() -> EvaluationProtocols.calibrate(model, validation, ConfidenceScore.MARGIN, 1.0))
                .hasMessageStartingWith("no threshold setting reaches an average of 1 MACs");
    }
}
