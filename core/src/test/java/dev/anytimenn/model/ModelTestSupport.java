package dev.anytimenn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small seeded networks for tests, and the checks every architecture must pass. */
public final class ModelTestSupport {

    private ModelTestSupport() {}

    public static ModelConfig resann(int n, int c, int s) {
        return new ModelConfig("resann", n, c, s, 10, new InputShape(1, 28, 28));
    }

    public static AnytimeNetwork seeded(ModelConfig config, NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        return Architectures.buildInitialized(config, manager);
    }

    /** A unit-by-unit run gives exactly the full forward's logits, head by head (inference mode). */
    public static void assertStepwiseMatchesFullForward(AnytimeNetwork net, NDManager manager, int batch) {
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(net.config().input().batchShape(batch));
        NDList full = net.forward(ps, new NDList(x), false);
        AnytimeNetwork.Stepper stepper = net.stepper(ps, x);
        List<NDArray> stepwise = new ArrayList<>();
        while (stepper.hasNext()) {
            int expectedHead = stepper.headAfterNext();
            Optional<NDArray> logits = stepper.next();
            assertThat(logits.isPresent()).isEqualTo(expectedHead >= 0);
            logits.ifPresent(stepwise::add);
        }
        assertThat(stepper.unitsRun()).isEqualTo(net.unitCount());
        assertThatThrownBy(stepper::next).isInstanceOf(IllegalStateException.class);
        assertThat(stepwise).hasSize(net.headCount()).hasSize(full.size());
        for (int k = 0; k < full.size(); k++) {
            assertThat(stepwise.get(k).toFloatArray()).containsExactly(full.get(k).toFloatArray());
        }
    }

    /**
     * After {@code cut} units, keeping {@code rows} of a batch of {@code batch}, every later head
     * gives (within 1e-5) what a batch of only those rows gives.
     */
    public static void assertKeptRowsMatch(AnytimeNetwork net, NDManager manager, int batch, long[] rows, int cut) {
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(net.config().input().batchShape(batch));
        NDList alone = net.forward(ps, new NDList(x.get(new NDIndex("{}", manager.create(rows)))), false);
        AnytimeNetwork.Stepper stepper = net.stepper(ps, x);
        int head = 0;
        for (int u = 0; u < cut; u++) {
            head += stepper.next().isPresent() ? 1 : 0;
        }
        int headsBeforeCut = head;
        stepper.keepRows(rows);
        int checked = 0;
        while (stepper.hasNext()) {
            Optional<NDArray> logits = stepper.next();
            if (logits.isEmpty()) {
                continue;
            }
            assertThat(logits.get().getShape()).isEqualTo(new Shape(rows.length, net.config().classes()));
            float[] got = logits.get().toFloatArray();
            float[] want = alone.get(head++).toFloatArray();
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).isCloseTo(want[i], within(1e-5f));
            }
            checked++;
        }
        assertThat(checked).as("heads after the cut").isPositive().isEqualTo(net.headCount() - headsBeforeCut);
    }
}
