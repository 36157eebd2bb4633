package dev.anytimenn.eval.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Test result of one exit (prediction head) of an anytime network.
 *
 * @param index          1-based exit number
 * @param afterUnit      1-based index of the unit after which the exit's head is attached
 * @param macs           multiply-accumulates added by this exit's segment (units since the
 *                       previous exit plus this exit's head)
 * @param cumulativeMacs total multiply-accumulates up to and including this exit
 * @param testAccuracy   top-1 test accuracy in [0, 1]
 */
@JsonPropertyOrder({"index", "afterUnit", "macs", "cumulativeMacs", "testAccuracy"})
public record ExitResult(int index, int afterUnit, long macs, long cumulativeMacs, double testAccuracy) {

    /** Test error, {@code 1 - testAccuracy}; not serialised. */
    @JsonIgnore
    public double testError() {
        return 1.0 - testAccuracy;
    }
}
