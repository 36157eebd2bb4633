package dev.anytimenn.model;

import ai.djl.ndarray.types.Shape;

/** A block that knows its multiply-accumulate count for one input image. */
public interface MacCounted {

    /**
     * Multiply-accumulates of a forward pass for a batch of one.
     *
     * @param inputShapes the block's input shapes with batch dimension 1
     */
    long macs(Shape[] inputShapes);
}
