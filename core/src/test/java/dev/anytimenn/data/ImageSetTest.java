package dev.anytimenn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageSetTest {

    /** n images of 2x1x2; pixel values encode image index, labels = index % classes. */
    static ImageSet indexed(int n, int classes) {
        int px = 4;
        byte[] p = new byte[n * px];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < px; k++) {
                p[i * px + k] = (byte) (i * px + k);
            }
            l[i] = i % classes;
        }
        return new ImageSet(p, l, 2, 1, 2, classes);
    }

    @Test
    void validatesShapeAndLabels() {
        assertThatThrownBy(() -> new ImageSet(new byte[7], new int[2], 1, 2, 2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 bytes");
        assertThatThrownBy(() -> new ImageSet(new byte[8], new int[] {0, 3}, 1, 2, 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label 3 at index 1 is outside [0, 3)");
        assertThatThrownBy(() -> new ImageSet(new byte[0], new int[0], 0, 2, 2, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ImageSet(new byte[0], new int[0], 1, 2, 2, 3).size()).isZero();
    }

    @Test
    void sliceCopies() {
        ImageSet s = indexed(5, 3);
        ImageSet mid = s.slice(1, 3);
        assertThat(mid.size()).isEqualTo(2);
        assertThat(mid.labels()).containsExactly(1, 2);
        assertThat(mid.pixels()).containsExactly(4, 5, 6, 7, 8, 9, 10, 11);
        mid.pixels()[0] = 99;
        assertThat(s.pixels()[4]).isEqualTo((byte) 4);
        assertThat(s.slice(5, 5).size()).isZero();
        assertThatThrownBy(() -> s.slice(3, 6)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void takeFollowsIndices() {
        ImageSet s = indexed(5, 5);
        ImageSet t = s.take(new int[] {4, 0, 4});
        assertThat(t.labels()).containsExactly(4, 0, 4);
        assertThat(t.pixels()).containsExactly(16, 17, 18, 19, 0, 1, 2, 3, 16, 17, 18, 19);
        assertThatThrownBy(() -> s.take(new int[] {5})).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
