package dev.anytimenn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SplitTest {

    @Test
    void lastImagesBecomeValidation() {
        ImageSet all = ImageSetTest.indexed(10, 10);
        Split s = Split.holdOutLast(all, 3);
        assertThat(s.train().labels()).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(s.validation().labels()).containsExactly(7, 8, 9);
        assertThat(s.validation().pixels()[0]).isEqualTo((byte) 28);
        assertThat(s.train().classes()).isEqualTo(10);
    }

    @Test
    void zeroValidationIsEmpty() {
        Split s = Split.holdOutLast(ImageSetTest.indexed(4, 2), 0);
        assertThat(s.train().size()).isEqualTo(4);
        assertThat(s.validation().size()).isZero();
    }

    @Test
    void rejectsSizesLeavingNoTraining() {
        ImageSet all = ImageSetTest.indexed(10, 10);
        assertThatThrownBy(() -> Split.holdOutLast(all, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("validation size 10 must be in [0, 10) so that at least one of the 10 images is left "
                        + "for training");
        assertThatThrownBy(() -> Split.holdOutLast(all, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
