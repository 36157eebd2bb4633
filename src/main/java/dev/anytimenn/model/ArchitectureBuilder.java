package dev.anytimenn.model;

/** Builds an untrained, uninitialised anytime network from its config. */
@FunctionalInterface
public interface ArchitectureBuilder {
    AnytimeNetwork build(ModelConfig config);
}
