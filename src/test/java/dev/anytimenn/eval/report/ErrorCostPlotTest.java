package dev.anytimenn.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorCostPlotTest {

    @TempDir
    Path dir;

    @Test
    void severalSeriesIncludingScatterAndNonFinitePoints() throws IOException {
        var a = new ErrorCostPlot.Series("adaloss", new double[] {10, 20, 40}, new double[] {40, 30, Double.NaN},
                true, List.of("1", "2", "3"));
        var b = new ErrorCostPlot.Series("OPT", new double[] {10, 20, 40}, new double[] {35, 27, 22}, false);
        Path png = dir.resolve("p.png");
        Path svg = dir.resolve("p.svg");
        ErrorCostPlot.write("two series", List.of(a, b), png, svg);
        assertThat(Files.size(png)).isPositive();
        assertThat(Files.readString(svg)).contains("<svg");
        assertThat(GraphicsEnvironment.isHeadless()).isTrue();
    }

    @Test
    void singlePointAndSvgOnly() throws IOException {
        var s = new ErrorCostPlot.Series("one", new double[] {5}, new double[] {12.5}, true);
        Path svg = dir.resolve("one.svg");
        ErrorCostPlot.write("single", List.of(s), null, svg);
        assertThat(Files.readString(svg)).contains("<svg");
    }

    @Test
    void invalidInputIsRejectedClearly() {
        assertThatThrownBy(() -> new ErrorCostPlot.Series("x", new double[] {1, 2}, new double[] {1}, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
        var s = new ErrorCostPlot.Series("x", new double[] {1}, new double[] {1}, true);
        assertThatThrownBy(() -> ErrorCostPlot.chart("t", List.of(s, s)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> ErrorCostPlot.chart("t", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
