package dev.anytimenn.model;

/**
 * Cost of reaching one exit.
 *
 * @param index 1-based exit number
 * @param afterUnit 1-based unit the head reads
 * @param macs MACs this exit adds: the units since the previous exit (the stem, for the first) and
 *     its own head
 * @param cumulativeMacs MACs of running the network stepwise up to and including this exit, every
 *     earlier head included (an anytime run evaluates them all)
 */
public record ExitCost(int index, int afterUnit, long macs, long cumulativeMacs) {}
