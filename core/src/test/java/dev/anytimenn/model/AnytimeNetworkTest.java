package dev.anytimenn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnytimeNetworkTest {

    @Test
    void fullForwardGivesOneLogitTensorPerHead() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(ModelTestSupport.resann(2, 8, 2), manager, 1);
            assertThat(net.unitCount()).isEqualTo(6);
            assertThat(net.headCount()).isEqualTo(3);
            assertThat(net.headAfterUnit()).containsExactly(2, 4, 6);
            NDArray x = manager.randomNormal(new Shape(5, 1, 28, 28));
            NDList out = net.forward(new ParameterStore(manager, false), new NDList(x), false);
            assertThat(out).hasSize(3);
            for (NDArray logits : out) {
                assertThat(logits.getShape()).isEqualTo(new Shape(5, 10));
            }
            assertThat(net.getOutputShapes(new Shape[] {new Shape(5, 1, 28, 28)}))
                    .containsOnly(new Shape(5, 10));
        }
    }

    @Test
    void stepwiseRunGivesTheSameLogitsAsTheFullForward() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(ModelTestSupport.resann(2, 8, 1), manager, 2);
            ModelTestSupport.assertStepwiseMatchesFullForward(net, manager, 4);
            // with headless units (s = 2) and a cut inside a stage
            AnytimeNetwork strided = ModelTestSupport.seeded(ModelTestSupport.resann(2, 8, 2), manager, 5);
            ModelTestSupport.assertStepwiseMatchesFullForward(strided, manager, 3);
            ModelTestSupport.assertKeptRowsMatch(strided, manager, 6, new long[] {0, 2, 5}, 3);
        }
    }

    @Test
    void stepwiseRunSkipsHeadlessUnits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(ModelTestSupport.resann(2, 4, 2), manager, 3);
            AnytimeNetwork.Stepper stepper = net.stepper(new ParameterStore(manager, false),
                    manager.randomNormal(new Shape(1, 1, 28, 28)));
            List<Boolean> hasHead = new ArrayList<>();
            while (stepper.hasNext()) {
                hasHead.add(stepper.next().isPresent());
            }
            assertThat(hasHead).containsExactly(false, true, false, true, false, true);
        }
    }

    @Test
    void inferenceLeavesBatchNormStatisticsAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AnytimeNetwork net = ModelTestSupport.seeded(ModelTestSupport.resann(1, 4, 1), manager, 4);
            ParameterStore ps = new ParameterStore(manager, false);
            float[] before = runningMeans(net);
            net.forward(ps, new NDList(manager.randomNormal(new Shape(8, 1, 28, 28)).add(3)), false);
            assertThat(runningMeans(net)).containsExactly(before);
            net.forward(ps, new NDList(manager.randomNormal(new Shape(8, 1, 28, 28)).add(3)), true);
            assertThat(runningMeans(net)).isNotEqualTo(before);
        }
    }

    private static float[] runningMeans(AnytimeNetwork net) {
        return net.getParameters().values().stream()
                .filter(p -> p.getName().equals("runningMean"))
                .findFirst().orElseThrow().getArray().toFloatArray();
    }

    @Test
    void registryNamesItsArchitecturesAndRejectsUnknownOnes() {
        assertThat(Architectures.names()).contains("resann");
        assertThatThrownBy(() -> new ModelConfig("nope", 1, 4, 1, 10, new InputShape(1, 28, 28)))
                .hasMessageContaining("unknown architecture 'nope'").hasMessageContaining("resann");
        // options are the architecture's own: another's record does not make a config
        assertThatThrownBy(() -> new ModelConfig("densann", ResAnn.Options.DEFAULTS, 1, 10,
                new InputShape(1, 28, 28), 0)).hasMessageContaining("not densann's");
    }

    @Test
    void configRejectsBadFields() {
        assertThatThrownBy(() -> new ModelConfig("resann", 0, 4, 1, 10, new InputShape(1, 28, 28)))
                .hasMessageContaining("n must be at least 1");
        assertThatThrownBy(() -> new ModelConfig("resann", 1, 4, 0, 10, new InputShape(1, 28, 28)))
                .hasMessageContaining("s must be at least 1");
    }
}
