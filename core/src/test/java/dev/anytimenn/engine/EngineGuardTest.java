package dev.anytimenn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EngineGuardTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** A stand-in for libtorch's oneDNN switch. */
    private static final class FakeOneDnn implements EngineGuard.OneDnn {
        boolean enabled = true;

        @Override
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** An engine that halves its output for the shapes {@code wrong} picks while "oneDNN" is on. */
    private static ConvolutionKernel faulty(FakeOneDnn oneDnn, Predicate<long[]> wrong) {
        return (x, w, stride, padding) -> {
            var y = ConvolutionSelfCheckTest.exactConvolution(x, w, stride, padding);
            long[] channels = {w.getShape().get(1), w.getShape().get(0)};
            return oneDnn.enabled && wrong.test(channels) ? y.mul(0.5f) : y;
        };
    }

    private static final ConvolutionCase C_12_24 = new ConvolutionCase(2, 12, 24, 6, 3, 1, 1);
    private static final ConvolutionCase C_16_32 = new ConvolutionCase(2, 16, 32, 6, 3, 2, 1);
    private static final ConvolutionCase C_48_16 = new ConvolutionCase(2, 48, 16, 6, 3, 2, 1);

    @Test
    void rightShapesKeepTheEngineAndWrongOnesArePaddedWhenThatRepairsThem() {
        FakeOneDnn oneDnn = new FakeOneDnn();
        ConvolutionKernel engine = faulty(oneDnn, ch -> ch[0] % 16 != 0 || ch[1] % 16 != 0);
        EngineGuard guard = new EngineGuard(engine, () -> Optional.of(oneDnn), "auto");
        guard.require(manager, List.of(C_12_24, C_16_32));
        assertThat(guard.kernel(EngineGuard.Shape.of(C_16_32))).isSameAs(engine);
        assertThat(guard.kernel(EngineGuard.Shape.of(C_12_24))).isNotSameAs(engine);
        assertThat(ConvolutionSelfCheck.run(manager, guard.kernel(EngineGuard.Shape.of(C_12_24)), List.of(C_12_24))
                .ok()).isTrue();
        assertThat(guard.oneDnnOff()).isFalse();
        assertThat(guard.describe()).contains("2 convolution shape(s) checked").contains("1 run with padded channels");
    }

    @Test
    void aShapeWrongWhenPaddedTo16IsTriedPaddedTo32() {
        FakeOneDnn oneDnn = new FakeOneDnn();
        ConvolutionKernel engine = faulty(oneDnn, ch -> ch[0] % 32 != 0 || ch[1] % 16 != 0);
        EngineGuard guard = new EngineGuard(engine, () -> Optional.of(oneDnn), "auto");
        guard.require(manager, List.of(C_12_24)); // 16->32 is still wrong, 32->32 is right
        assertThat(guard.oneDnnOff()).isFalse();
        ConvolutionKernel chosen = guard.kernel(EngineGuard.Shape.of(C_12_24));
        assertThat(chosen).isNotSameAs(engine);
        assertThat(ConvolutionSelfCheck.run(manager, chosen, List.of(C_12_24)).ok()).isTrue();
    }

    @Test
    void aShapeThatPaddingCannotRepairTurnsOneDnnOffAndEveryShapeIsCheckedAgain() {
        FakeOneDnn oneDnn = new FakeOneDnn();
        ConvolutionKernel engine = faulty(oneDnn, ch -> ch[0] % 16 != 0 || ch[1] % 16 != 0 || ch[0] >= 48);
        EngineGuard guard = new EngineGuard(engine, () -> Optional.of(oneDnn), "auto");
        guard.require(manager, List.of(C_12_24));
        assertThat(guard.kernel(EngineGuard.Shape.of(C_12_24))).isNotSameAs(engine);
        guard.require(manager, List.of(C_48_16));
        assertThat(oneDnn.enabled).isFalse();
        assertThat(guard.oneDnnOff()).isTrue();
        assertThat(guard.kernel(EngineGuard.Shape.of(C_12_24))).isSameAs(engine); // no padding needed any more
        assertThat(guard.describe()).contains("oneDNN off");
    }

    @Test
    void aShapeWrongEvenWithOneDnnOffStopsWithTheRemedy() {
        FakeOneDnn oneDnn = new FakeOneDnn();
        ConvolutionKernel alwaysWrong = (x, w, s, p) -> ConvolutionSelfCheckTest.exactConvolution(x, w, s, p).mul(2f);
        EngineGuard guard = new EngineGuard(alwaysWrong, () -> Optional.of(oneDnn), "auto");
        assertThatThrownBy(() -> guard.require(manager, List.of(C_16_32)))
                .isInstanceOf(EngineFaultException.class)
                .hasMessageContaining("wrong convolutions on this machine even with oneDNN off")
                .hasMessageContaining("16->32 channels")
                .hasMessageContaining("ONEDNN_MAX_CPU_ISA=SSE41");
    }

    @Test
    void withoutAReachableSwitchTheFaultIsNamed() {
        FakeOneDnn oneDnn = new FakeOneDnn();
        ConvolutionKernel engine = faulty(oneDnn, ch -> true);
        EngineGuard guard = new EngineGuard(engine, Optional::empty, "auto");
        assertThatThrownBy(() -> guard.require(manager, List.of(C_16_32)))
                .isInstanceOf(EngineFaultException.class)
                .hasMessageContaining("cannot be reached");
    }

    @Test
    void engineModeRefusesAWrongShapeInsteadOfRoutingIt() {
        FakeOneDnn oneDnn = new FakeOneDnn();
        EngineGuard guard = new EngineGuard(faulty(oneDnn, ch -> ch[0] == 12), () -> Optional.of(oneDnn), "engine");
        guard.require(manager, List.of(C_16_32));
        assertThatThrownBy(() -> guard.require(manager, List.of(C_12_24)))
                .isInstanceOf(EngineFaultException.class)
                .hasMessageContaining("=engine (no workaround)");
        // a failed check leaves nothing marked as checked: asking again fails again
        assertThatThrownBy(() -> guard.require(manager, List.of(C_12_24))).isInstanceOf(EngineFaultException.class);
        EngineGuard unknownMode = new EngineGuard(Convolutions.ENGINE, Optional::empty, "fast");
        assertThatThrownBy(() -> unknownMode.require(manager, List.of(C_16_32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(EngineGuard.MODE_PROPERTY);
    }

    @Test
    void aShapeSeenBeforeIsCheckedAgainAtANewInputSize() {
        FakeOneDnn oneDnn = new FakeOneDnn();
        ConvolutionKernel wrongOnLargeInputs = (x, w, s, p) -> {
            var y = ConvolutionSelfCheckTest.exactConvolution(x, w, s, p);
            return oneDnn.enabled && x.getShape().get(2) > 8 ? y.mul(0.5f) : y;
        };
        EngineGuard guard = new EngineGuard(wrongOnLargeInputs, () -> Optional.of(oneDnn), "auto");
        guard.require(manager, List.of(C_16_32));
        assertThat(oneDnn.enabled).isTrue();
        guard.require(manager, List.of(new ConvolutionCase(2, 16, 32, 10, 3, 2, 1)));
        assertThat(oneDnn.enabled).isFalse(); // padding does not help a fault that depends on the size
    }

    /**
     * The real engine of this process, through the guard: every default shape must end up computed right. On
     * a machine where the engine is broken beyond every workaround, this is the one test that says so.
     */
    @Test
    void thisMachinesEngineComputesEveryCheckedConvolutionRight() {
        List<ConvolutionCase> cases = ConvolutionSelfCheck.defaultCases(2);
        EngineGuard.requireSoundConvolutions(manager, cases);
        for (ConvolutionCase c : cases) {
            ConvolutionKernel kernel = EngineGuard.kernelFor(c.inChannels(), c.outChannels(), c.kernel(), c.stride());
            SelfCheckResult result = ConvolutionSelfCheck.run(manager, kernel, List.of(c));
            assertThat(result.ok()).as(result.summary() + "; guard: " + EngineGuard.state()).isTrue();
        }
    }
}
