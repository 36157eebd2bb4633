package dev.anytimenn.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ErrorCostPlotTest {

    @TempDir
    Path dir;

    /** A marker or label as drawn in the SVG: where, and (for a label) its text. */
    private record Drawn(double x, double y, String text) {}

    @Test
    void aRunIsDrawnAsOnePointPerExitInPngAndSvg() throws Exception {
        RunReport run = Samples.report();
        Path png = dir.resolve("p.png");
        Path svg = dir.resolve("p.svg");
        ErrorCostPlot.writeAnytime(run, png, svg);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("PNG decodes").isNotNull();
        assertThat(image.getWidth()).isEqualTo(ErrorCostPlot.WIDTH);
        assertThat(image.getHeight()).isEqualTo(ErrorCostPlot.HEIGHT);

        List<ExitResult> exits = run.exits();
        // circle markers: one per exit plus the legend's
        assertThat(elements(svg, "ellipse")).hasSize(exits.size() + 1);
        List<Drawn> labels = elements(svg, "text");
        assertThat(labels).extracting(Drawn::text).containsExactly("1", "2", "3", "4");
        // labels sit beside their points: x proportional to cost, y to error (SVG y grows downwards)
        Drawn first = labels.get(0);
        Drawn last = labels.get(labels.size() - 1);
        for (int i = 1; i < exits.size() - 1; i++) {
            double xShare = (labels.get(i).x() - first.x()) / (last.x() - first.x());
            double costShare = (double) (exits.get(i).cumulativeMacs() - exits.get(0).cumulativeMacs())
                    / (exits.get(exits.size() - 1).cumulativeMacs() - exits.get(0).cumulativeMacs());
            assertThat(xShare).as("x of exit %d", i + 1).isCloseTo(costShare, within(0.02));
            double yShare = (labels.get(i).y() - first.y()) / (last.y() - first.y());
            double errorShare = (exits.get(i).testError() - exits.get(0).testError())
                    / (exits.get(exits.size() - 1).testError() - exits.get(0).testError());
            assertThat(yShare).as("y of exit %d", i + 1).isCloseTo(errorShare, within(0.03));
        }
    }

    @Test
    void nonFinitePointsAreLeftOutAndScatterSeriesDrawOnlyMarkers() throws Exception {
        var a = new ErrorCostPlot.Series("adaloss", new double[] {10, 20, 40}, new double[] {40, 30, Double.NaN},
                true, List.of("1", "2", "3"));
        var b = new ErrorCostPlot.Series("OPT", new double[] {10, 20, 40}, new double[] {35, 27, 22}, false);
        Path svg = dir.resolve("p.svg");
        ErrorCostPlot.write("two series", List.of(a, b), null, svg);

        assertThat(elements(svg, "text")).extracting(Drawn::text).containsExactly("1", "2");
        // adaloss: 2 finite points + legend, circles; OPT: squares (drawn as paths), not ellipses
        assertThat(elements(svg, "ellipse")).hasSize(2 + 1);
    }

    @Test
    void aSinglePointGetsAnSvgAndNoPng() throws Exception {
        var s = new ErrorCostPlot.Series("one", new double[] {5}, new double[] {12.5}, true);
        Path svg = dir.resolve("one.svg");
        ErrorCostPlot.write("single", List.of(s), null, svg);
        assertThat(elements(svg, "ellipse")).hasSize(1 + 1);
        assertThat(dir.resolve("one.png")).doesNotExist();
    }

    @Test
    void rangesAreBarsWithCapsOutsideTheLegendAndInsideTheAxes() throws Exception {
        var ranged = new ErrorCostPlot.Series("adaloss", new double[] {10, 20}, new double[] {40, 30}, true,
                List.of(), new double[] {38, 29}, new double[] {45, Double.NaN});
        var plain = new ErrorCostPlot.Series("OPT", new double[] {10, 20}, new double[] {35, 27}, false);

        XYChart chart = ErrorCostPlot.chart("ranges", List.of(ranged, plain));

        XYSeries bars = chart.getSeriesMap().get("adaloss" + ErrorCostPlot.RANGE_SUFFIX);
        assertThat(bars.isShowInLegend()).isFalse();
        assertThat(bars.getLineColor()).isEqualTo(chart.getSeriesMap().get("adaloss").getLineColor());
        // one point has a range: a bar and two caps, each 2 points and a NaN that lifts the pen
        double cap = ErrorCostPlot.CAP_SHARE * 20;
        assertThat(bars.getXData()).containsExactly(10, 10, 10, 10 - cap, 10 + cap, 10 + cap, 10 - cap, 10 + cap,
                10 + cap);
        assertThat(bars.getYData()).containsExactly(38, 45, Double.NaN, 38, 38, Double.NaN, 45, 45, Double.NaN);
        assertThat(chart.getSeriesMap()).doesNotContainKey("OPT" + ErrorCostPlot.RANGE_SUFFIX);
        assertThat(chart.getStyler().getYAxisMax()).isGreaterThan(45);
        Path svg = dir.resolve("r.svg");
        ErrorCostPlot.write("ranges", List.of(ranged, plain), null, svg);
        assertThat(elements(svg, "ellipse")).as("no markers on the bars").hasSize(2 + 1);
        assertThatThrownBy(() -> new ErrorCostPlot.Series("x", new double[] {1}, new double[] {1}, true, List.of(),
                new double[] {1}, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("range");
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
        var nan = new ErrorCostPlot.Series("nan", new double[] {1}, new double[] {Double.NaN}, true);
        assertThatThrownBy(() -> ErrorCostPlot.chart("t", List.of(nan)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no finite points");
    }

    /** The SVG's elements of one tag, with their position (cx/cy or x/y) and text. */
    private static List<Drawn> elements(Path svg, String tag) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        NodeList nodes = factory.newDocumentBuilder().parse(svg.toFile()).getElementsByTagName(tag);
        List<Drawn> drawn = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            String x = e.hasAttribute("cx") ? e.getAttribute("cx") : e.getAttribute("x");
            String y = e.hasAttribute("cy") ? e.getAttribute("cy") : e.getAttribute("y");
            drawn.add(new Drawn(Double.parseDouble(x), Double.parseDouble(y), e.getTextContent().trim()));
        }
        return drawn;
    }
}
