/**
 * Pure-Java data pipeline: IDX file reading and writing, Fashion-MNIST loading, normalisation,
 * train/validation split, augmentation and background batch assembly.
 *
 * <p>Deliberately free of DJL: everything here works on {@code byte[]}/{@code float[]} so it can be
 * tested without a native engine; the trainer turns {@link dev.anytimenn.data.Batch}es into NDArrays.
 */
package dev.anytimenn.data;
