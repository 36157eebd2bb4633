package dev.anytimenn.engine;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure every convolution shape a network runs is computed correctly by this process's engine before
 * it trains or predicts, and routes a shape the engine gets wrong around the fault.
 *
 * <p>Why: libtorch 2.7.1's oneDNN computes wrong 3x3 convolutions for many channel counts on CPUs whose
 * cache sizes CPUID hides (common on cloud VMs), with no error (bench/RESULTS.md, #13). Restricting
 * oneDNN's instruction set to SSE4.1 for the whole process repairs it but makes training 2.8x slower,
 * while most shapes (the demo's widths 16/32/64 among them) are right at full speed. So each distinct
 * shape is checked against a float64 reference the first time a network with it is prepared:
 * <ol>
 *   <li>right as the engine computes it: used as it is;
 *   <li>wrong, but right with its channels zero-padded to multiples of 16, or else of 32
 *       ({@link Convolutions#channelPadded}): padded, at the cost of the extra channels in that layer only;
 *   <li>wrong in every way: oneDNN is turned off for the process ({@link OneDnnSwitch}), every shape is checked
 *       again on ATen's own kernels, and if any is still wrong, {@link EngineFaultException}.
 * </ol>
 * The choice is process-wide, like the engine. The system property {@value #MODE_PROPERTY} forces
 * {@code engine} (no routing: a wrong shape is an error) or {@code onednn-off}; {@code auto} is the default.
 */
public final class EngineGuard {

    public static final String MODE_PROPERTY = "anytimenn.convolutions";

    private static final Logger LOG = LoggerFactory.getLogger(EngineGuard.class);

    /** The guard of this process's engine. */
    private static final EngineGuard PROCESS = new EngineGuard(Convolutions.ENGINE, OneDnnSwitch::find,
            System.getProperty(MODE_PROPERTY, "auto"));

    /** The convolution shape a kernel choice is made for. */
    public record Shape(int inChannels, int outChannels, int kernel, int stride) {
        static Shape of(ConvolutionCase c) {
            return new Shape(c.inChannels(), c.outChannels(), c.kernel(), c.stride());
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%dx%d %d->%d s%d", kernel, kernel, inChannels, outChannels, stride);
        }
    }

    /** libtorch's process-wide oneDNN switch. */
    interface OneDnn {
        void setEnabled(boolean enabled);
    }

    private final ConvolutionKernel engine;
    /** The engine with channels padded to each of {@link Convolutions#CHANNEL_BLOCKS}, tried in order. */
    private final List<ConvolutionKernel> padded;
    private final Supplier<Optional<? extends OneDnn>> oneDnn;
    private final String mode;
    private final Map<Shape, ConvolutionKernel> kernels = new ConcurrentHashMap<>();
    private final Set<ConvolutionCase> checked = new LinkedHashSet<>();
    private final Set<Shape> checkedShapes = ConcurrentHashMap.newKeySet();
    private boolean oneDnnOff;
    private boolean announced;
    private double checkMillis;

    EngineGuard(ConvolutionKernel engine, Supplier<Optional<? extends OneDnn>> oneDnn, String mode) {
        this.engine = engine;
        this.padded = Arrays.stream(Convolutions.CHANNEL_BLOCKS).mapToObj(b -> Convolutions.channelPadded(engine, b))
                .toList();
        this.oneDnn = oneDnn;
        this.mode = mode.trim().toLowerCase(Locale.ROOT);
    }

    /** The kernel this process uses for a shape: the engine's, unless the guard routed it around a fault. */
    public static ConvolutionKernel kernelFor(int inChannels, int outChannels, int kernel, int stride) {
        return PROCESS.kernel(new Shape(inChannels, outChannels, kernel, stride));
    }

    /**
     * The kernel for a shape, checking the shape first if no network preparation has (a path that skipped
     * {@link #requireSoundConvolutions} still never runs an unchecked convolution).
     */
    public static ConvolutionKernel checkedKernelFor(NDManager manager, Shape shape,
            Supplier<Collection<ConvolutionCase>> cases) {
        if (!PROCESS.checkedShapes.contains(shape)) {
            PROCESS.announce();
            PROCESS.require(manager, cases.get());
        }
        return PROCESS.kernel(shape);
    }

    /**
     * Checks the shapes of {@code cases} that this process has not checked yet and routes the wrong ones;
     * a few milliseconds per shape.
     *
     * @throws EngineFaultException when a shape stays wrong with every workaround
     */
    public static void requireSoundConvolutions(NDManager manager, Collection<ConvolutionCase> cases) {
        PROCESS.announce();
        PROCESS.require(manager, cases);
    }

    /** What the guard of this process has done so far. */
    public static String state() {
        return PROCESS.describe();
    }

    /** For bench/experiments only: the fallback without any check. */
    public static void disableOneDnnForExperiment() {
        synchronized (PROCESS) {
            PROCESS.turnOneDnnOff("experiment");
        }
    }

    ConvolutionKernel kernel(Shape shape) {
        return kernels.getOrDefault(shape, engine);
    }

    synchronized void require(NDManager manager, Collection<ConvolutionCase> cases) {
        if (!List.of("auto", "engine", "onednn-off").contains(mode)) {
            throw new IllegalArgumentException("-D" + MODE_PROPERTY + " must be auto, engine or onednn-off, got "
                    + mode);
        }
        List<ConvolutionCase> fresh = cases.stream().distinct().filter(c -> !checked.contains(c)).toList();
        if (fresh.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        try {
            check(manager, fresh);
        } finally {
            checkMillis += (System.nanoTime() - start) / 1e6;
            LOG.debug("engine guard: {}", describe());
        }
    }

    private void check(NDManager manager, List<ConvolutionCase> fresh) {
        if (mode.equals("onednn-off") && !oneDnnOff) {
            turnOneDnnOff("-D" + MODE_PROPERTY + "=onednn-off");
        }
        Map<Shape, List<ConvolutionCase>> byShape = new LinkedHashMap<>();
        fresh.forEach(c -> byShape.computeIfAbsent(Shape.of(c), s -> new ArrayList<>()).add(c));
        List<Shape> repaired = new ArrayList<>();
        List<ConvolutionCase> pending = new ArrayList<>();
        SelfCheckResult firstFailure = null;
        for (Map.Entry<Shape, List<ConvolutionCase>> entry : byShape.entrySet()) {
            Shape shape = entry.getKey();
            ConvolutionKernel current = kernel(shape);
            SelfCheckResult result = ConvolutionSelfCheck.run(manager, current, entry.getValue());
            if (result.ok()) {
                markChecked(entry.getValue());
                continue;
            }
            if (mode.equals("engine")) {
                throw fault(result, "with -D" + MODE_PROPERTY + "=engine (no workaround)");
            }
            Optional<ConvolutionKernel> repair = oneDnnOff ? Optional.empty() : repair(manager, shape, current,
                    entry.getValue());
            if (repair.isPresent()) {
                kernels.put(shape, repair.get());
                repaired.add(shape);
                markChecked(entry.getValue());
                continue;
            }
            pending.addAll(entry.getValue());
            firstFailure = firstFailure == null ? result : firstFailure;
        }
        if (!repaired.isEmpty()) {
            LOG.info("{} of {} convolution shapes are computed wrongly by the engine here and right with their"
                    + " channels zero-padded (to multiples of 16 or 32), so they run padded: {}", repaired.size(),
                    byShape.size(), repaired);
        }
        if (pending.isEmpty()) {
            return;
        }
        if (oneDnnOff) {
            throw fault(firstFailure, "even with oneDNN off");
        }
        turnOneDnnOff(pending.stream().map(Shape::of).distinct().count() + " convolution shape(s) stay wrong with"
                + " channels padded to 16 and to 32, e.g. the " + firstFailure.mismatches().get(0));
        List<ConvolutionCase> all = new ArrayList<>(checked);
        all.addAll(pending);
        SelfCheckResult again = ConvolutionSelfCheck.run(manager, engine, all);
        if (!again.ok()) {
            throw fault(again, "even with oneDNN off");
        }
        markChecked(pending);
        LOG.info("with oneDNN off, every convolution checked so far is right ({})", again.summary());
    }

    /** The first padding after {@code current} that is right on every case of the shape, old and new. */
    private Optional<ConvolutionKernel> repair(NDManager manager, Shape shape, ConvolutionKernel current,
            List<ConvolutionCase> fresh) {
        List<ConvolutionCase> all = new ArrayList<>(fresh);
        checked.stream().filter(c -> Shape.of(c).equals(shape)).forEach(all::add);
        for (ConvolutionKernel candidate : padded.subList(padded.indexOf(current) + 1, padded.size())) {
            if (ConvolutionSelfCheck.run(manager, candidate, all).ok()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private void markChecked(List<ConvolutionCase> cases) {
        checked.addAll(cases);
        cases.forEach(c -> checkedShapes.add(Shape.of(c)));
    }

    synchronized String describe() {
        long paddedShapes = kernels.values().stream().filter(padded::contains).count();
        return String.format(Locale.ROOT, "%d convolution shape(s) checked (%d cases) in %.0f ms, %d run with padded"
                + " channels, oneDNN %s", checkedShapes.size(), checked.size(), checkMillis, paddedShapes,
                oneDnnOff ? "off" : "on");
    }

    boolean oneDnnOff() {
        return oneDnnOff;
    }

    private void turnOneDnnOff(String why) {
        Optional<? extends OneDnn> torch = oneDnn.get();
        if (torch.isEmpty()) {
            throw new EngineFaultException("oneDNN must be switched off (" + why
                    + ") but its switch cannot be reached in this process. Remedy: set ONEDNN_MAX_CPU_ISA=SSE41"
                    + " in the environment before starting (slower, correct); see README, 'Engine self-check'");
        }
        torch.get().setEnabled(false);
        oneDnnOff = true;
        kernels.clear(); // ATen's own kernels need no padding; every shape is checked again on them
        LOG.info("turned oneDNN off for this process ({}); convolutions run on ATen's own kernels, slower", why);
    }

    private static EngineFaultException fault(SelfCheckResult result, String setting) {
        return new EngineFaultException("the engine computes wrong convolutions on this machine " + setting + ": "
                + result.summary() + "; stopped before using them. Remedy: set ONEDNN_MAX_CPU_ISA=SSE41 in the"
                + " environment before starting (slower, correct), or use another machine; see README,"
                + " 'Engine self-check'");
    }

    private synchronized void announce() {
        if (announced) {
            return;
        }
        announced = true;
        CpuCaches caches = CpuCaches.read(CpuCaches.SYSFS);
        String isa = System.getenv("ONEDNN_MAX_CPU_ISA");
        if (caches.hidden()) {
            LOG.info("{}: libtorch 2.7.1's oneDNN computes some convolutions wrongly on such CPUs; each shape is"
                    + " checked before use and routed around the fault if needed{}", caches.describe(),
                    isa == null ? "" : " (ONEDNN_MAX_CPU_ISA=" + isa + " is set)");
        } else {
            LOG.debug("CPU caches: {}", caches.describe());
        }
    }
}
