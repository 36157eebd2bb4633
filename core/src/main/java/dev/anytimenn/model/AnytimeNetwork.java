package dev.anytimenn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A chain of units f_1..f_L after a stem, with a prediction head after some units.
 *
 * <p>The full forward returns the logits of all K heads, first to last (for joint training). A
 * {@link Stepper} runs the same blocks one unit at a time for anytime inference.
 */
public final class AnytimeNetwork extends AbstractBlock {

    private final ModelConfig config;
    private final Block stem;
    private final List<Block> units;
    private final List<Block> heads;
    private final int[] headAfterUnit;
    /** headAt[u] is the head index after 0-based unit u, or -1. */
    private final int[] headAt;

    /**
     * @param units the chain; every block, like the stem and heads, must be {@link MacCounted}
     * @param heads one head per entry of {@code headAfterUnit}
     * @param headAfterUnit increasing 1-based units followed by a head; the last must be L
     */
    public AnytimeNetwork(ModelConfig config, Block stem, List<? extends Block> units,
            List<? extends Block> heads, int[] headAfterUnit) {
        if (heads.size() != headAfterUnit.length || heads.isEmpty()) {
            throw new IllegalArgumentException("need one head per head position, got "
                    + heads.size() + " heads for " + headAfterUnit.length + " positions");
        }
        if (headAfterUnit[headAfterUnit.length - 1] != units.size()) {
            throw new IllegalArgumentException("the last unit must have a head");
        }
        this.config = config;
        this.stem = addChildBlock("stem", requireCounted(stem));
        this.units = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            this.units.add(addChildBlock("unit" + (i + 1), requireCounted(units.get(i))));
        }
        this.heads = new ArrayList<>();
        this.headAfterUnit = headAfterUnit.clone();
        this.headAt = new int[units.size()];
        Arrays.fill(headAt, -1);
        for (int k = 0; k < heads.size(); k++) {
            int after = headAfterUnit[k];
            if (after < 1 || after > units.size() || (k > 0 && after <= headAfterUnit[k - 1])) {
                throw new IllegalArgumentException("head positions must increase within 1.."
                        + units.size() + ": " + Arrays.toString(headAfterUnit));
            }
            this.heads.add(addChildBlock("head" + (k + 1), requireCounted(heads.get(k))));
            headAt[after - 1] = k;
        }
    }

    private static Block requireCounted(Block block) {
        if (!(block instanceof MacCounted)) {
            throw new IllegalArgumentException(block.getClass().getSimpleName() + " does not count its MACs");
        }
        return block;
    }

    public ModelConfig config() {
        return config;
    }

    /** L, the number of units. */
    public int unitCount() {
        return units.size();
    }

    /** K, the number of heads (exits). */
    public int headCount() {
        return heads.size();
    }

    /** Head {@code k} (0-based), the block that turns unit features into that exit's logits. */
    public Block head(int k) {
        return heads.get(k);
    }

    /** The 1-based unit each head follows. */
    public int[] headAfterUnit() {
        return headAfterUnit.clone();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList state = stem.forward(ps, inputs, training);
        NDList logits = new NDList(heads.size());
        for (int u = 0; u < units.size(); u++) {
            state = units.get(u).forward(ps, state, training);
            if (headAt[u] >= 0) {
                logits.add(heads.get(headAt[u]).forward(ps, state, training).singletonOrThrow());
            }
        }
        return logits;
    }

    /** Starts a unit-by-unit inference run (inference mode: batch-norm statistics are left alone). */
    public Stepper stepper(ParameterStore ps, NDArray input) {
        return new Stepper(ps, input);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] out = new Shape[heads.size()];
        Shape[] state = stem.getOutputShapes(inputShapes);
        for (int u = 0; u < units.size(); u++) {
            state = units.get(u).getOutputShapes(state);
            if (headAt[u] >= 0) {
                out[headAt[u]] = heads.get(headAt[u]).getOutputShapes(state)[0];
            }
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        stem.initialize(manager, dataType, inputShapes);
        Shape[] state = stem.getOutputShapes(inputShapes);
        for (int u = 0; u < units.size(); u++) {
            units.get(u).initialize(manager, dataType, state);
            state = units.get(u).getOutputShapes(state);
            if (headAt[u] >= 0) {
                heads.get(headAt[u]).initialize(manager, dataType, state);
            }
        }
    }

    /** Per-exit costs for one image, computed from the tensor shapes. */
    public List<ExitCost> exitCosts() {
        Shape[] state = new Shape[] {config.input().batchShape(1)};
        long segment = ((MacCounted) stem).macs(state);
        state = stem.getOutputShapes(state);
        long cumulative = 0;
        List<ExitCost> costs = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            segment += ((MacCounted) units.get(u)).macs(state);
            state = units.get(u).getOutputShapes(state);
            int k = headAt[u];
            if (k >= 0) {
                segment += ((MacCounted) heads.get(k)).macs(state);
                cumulative += segment;
                costs.add(new ExitCost(k + 1, u + 1, segment, cumulative));
                segment = 0;
            }
        }
        return costs;
    }

    /** MACs of each unit (stem excluded), 0-based by unit, for one image. */
    public long[] unitMacs() {
        return macsPerUnit(false);
    }

    /**
     * MACs of each step of a {@link Stepper}, 0-based by unit: the unit, the stem with the first,
     * and the head after it when there is one. They add up to the final exit's cumulative cost.
     */
    public long[] stepMacs() {
        return macsPerUnit(true);
    }

    private long[] macsPerUnit(boolean asStepped) {
        Shape[] state = new Shape[] {config.input().batchShape(1)};
        long stemMacs = ((MacCounted) stem).macs(state);
        state = stem.getOutputShapes(state);
        long[] macs = new long[units.size()];
        for (int u = 0; u < units.size(); u++) {
            macs[u] = ((MacCounted) units.get(u)).macs(state);
            state = units.get(u).getOutputShapes(state);
            if (asStepped && headAt[u] >= 0) {
                macs[u] += ((MacCounted) heads.get(headAt[u])).macs(state);
            }
        }
        if (asStepped) {
            macs[0] += stemMacs;
        }
        return macs;
    }

    /** The stem: what runs on the input before the first unit. */
    public Block stem() {
        return stem;
    }

    /** The chain of units f_1..f_L, in order. */
    public List<Block> units() {
        return List.copyOf(units);
    }

    /** The heads, first to last; head k follows unit {@code headAfterUnit()[k]}. */
    public List<Block> heads() {
        return List.copyOf(heads);
    }

    /** The 0-based head after 0-based unit {@code unit}, or -1. */
    public int headAfter(int unit) {
        return headAt[unit];
    }

    /**
     * Runs the network one unit at a time. Each call to {@link #next()} runs one unit (the stem
     * with the first) and returns the logits of the head after it, if there is one.
     */
    public final class Stepper {

        private final ParameterStore ps;
        private NDList state;
        private int unitsRun;

        private Stepper(ParameterStore ps, NDArray input) {
            this.ps = ps;
            this.state = new NDList(input);
        }

        public boolean hasNext() {
            return unitsRun < units.size();
        }

        /** Units run so far. */
        public int unitsRun() {
            return unitsRun;
        }

        /** The 0-based head the next unit leads to when it has one, else -1. */
        public int headAfterNext() {
            return hasNext() ? headAt[unitsRun] : -1;
        }

        /**
         * Keeps only the given rows (0-based, of the current batch) for the units still to run:
         * samples that have their answer leave, and no further compute is spent on them.
         */
        public void keepRows(long[] rows) {
            NDList kept = new NDList(state.size());
            for (NDArray a : state) {
                NDArray index = a.getManager().create(rows);
                kept.add(a.get(new NDIndex("{}", index)));
            }
            state = kept;
        }

        public Optional<NDArray> next() {
            if (!hasNext()) {
                throw new IllegalStateException("all " + units.size() + " units have run");
            }
            if (unitsRun == 0) {
                state = stem.forward(ps, state, false);
            }
            state = units.get(unitsRun).forward(ps, state, false);
            int k = headAt[unitsRun];
            unitsRun++;
            if (k < 0) {
                return Optional.empty();
            }
            return Optional.of(heads.get(k).forward(ps, state, false).singletonOrThrow());
        }
    }
}
