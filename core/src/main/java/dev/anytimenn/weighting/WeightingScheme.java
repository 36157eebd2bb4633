package dev.anytimenn.weighting;

import dev.anytimenn.io.OptionRecords;
import java.util.List;
import java.util.Objects;

/**
 * One loss-weighting scheme as the registry ({@link LossWeightings}) knows it: its name, what it does,
 * its hyper-parameters and how to make it. The parameters are a record whose components are named
 * parameters with help and defaults, validated by its constructor (see {@link OptionRecords});
 * {@link NoParameters} for a scheme without any. A spec such as {@code adaloss:gamma=0.05,updateEvery=1}
 * sets them; a bare value after the colon ({@code opt:3}) sets the first.
 *
 * @param name what specs call it, lower case
 * @param help one line for help text
 * @param defaults its parameters' defaults
 * @param factory makes the weighting for K heads; {@code seed} is the run's, for randomised schemes
 */
public record WeightingScheme<P extends Record>(String name, String help, P defaults, Factory<P> factory) {

    /** Makes one weighting from its parameters. */
    @FunctionalInterface
    public interface Factory<P> {
        LossWeighting create(P parameters, int heads, long seed);
    }

    public WeightingScheme {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(help, "help");
        Objects.requireNonNull(defaults, "defaults");
        Objects.requireNonNull(factory, "factory");
    }

    /** Its parameters for help, in declaration order; empty for a scheme without any. */
    public List<OptionRecords.Described> describeParameters() {
        return OptionRecords.describe(defaults);
    }

    /** The weighting with {@code parameters}, which must be this scheme's. */
    LossWeighting create(Record parameters, int heads, long seed) {
        return factory.create(cast(parameters), heads, seed);
    }

    @SuppressWarnings("unchecked")
    private P cast(Record parameters) {
        return (P) defaults.getClass().cast(parameters);
    }
}
