/**
 * Pure-Java data pipeline: IDX file reading and writing, Fashion-MNIST/MNIST, CIFAR-10/100 (binary
 * version) and image-folder loading, per-channel normalisation, train/validation split, augmentation and
 * background batch assembly.
 *
 * <p>Deliberately free of DJL: everything here works on {@code byte[]}/{@code float[]} so it can be
 * tested without a native engine; the trainer turns {@link dev.anytimenn.data.Batch}es into NDArrays.
 */
package dev.anytimenn.data;
