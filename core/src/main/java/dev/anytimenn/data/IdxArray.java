package dev.anytimenn.data;

import java.util.Arrays;

/**
 * The content of an unsigned-byte IDX file: its dimensions and the row-major data.
 * Arrays are not copied, because data sets are tens of megabytes.
 */
public record IdxArray(int[] dims, byte[] data) {

    /** Size of the first dimension, i.e. the number of items (images or labels). */
    public int count() {
        return dims[0];
    }

    @Override
    public String toString() {
        return "IdxArray" + Arrays.toString(dims);
    }
}
