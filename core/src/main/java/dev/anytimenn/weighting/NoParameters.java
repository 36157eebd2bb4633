package dev.anytimenn.weighting;

/** The parameters of a weighting scheme that has none. */
public record NoParameters() {

    public static final NoParameters NONE = new NoParameters();
}
