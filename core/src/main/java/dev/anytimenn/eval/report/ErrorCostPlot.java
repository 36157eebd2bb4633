package dev.anytimenn.eval.report;

import dev.anytimenn.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Test error (%) versus cumulative cost (MMACs), the standard anytime-prediction plot.
 *
 * <p>Rendering is headless: loading this class sets {@code java.awt.headless=true} unless the
 * property was already given; launchers should also pass {@code -Djava.awt.headless=true} so the
 * setting holds even if some other code touches AWT first.
 */
public final class ErrorCostPlot {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE,
        SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS};

    public static final int WIDTH = 800;
    public static final int HEIGHT = 500;
    public static final String X_TITLE = "cumulative cost (MMACs)";
    public static final String Y_TITLE = "test error (%)";

    /**
     * One curve (or point cloud).
     *
     * @param name         legend name, unique within a plot
     * @param mmacs        x values, cumulative cost in millions of MACs
     * @param errorPercent y values, test error in percent (same length as {@code mmacs})
     * @param connect      draw lines between consecutive points (else markers only)
     * @param labels       per-point labels drawn next to the markers, or empty for none
     */
    public record Series(String name, double[] mmacs, double[] errorPercent, boolean connect,
                         List<String> labels) {

        public Series {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(mmacs, "mmacs");
            Objects.requireNonNull(errorPercent, "errorPercent");
            if (mmacs.length != errorPercent.length) {
                throw new IllegalArgumentException("series '" + name + "': " + mmacs.length
                        + " x values but " + errorPercent.length + " y values");
            }
            labels = labels == null ? List.of() : List.copyOf(labels);
            if (!labels.isEmpty() && labels.size() != mmacs.length) {
                throw new IllegalArgumentException("series '" + name + "': " + labels.size()
                        + " labels for " + mmacs.length + " points");
            }
            mmacs = mmacs.clone();
            errorPercent = errorPercent.clone();
        }

        /** A series without point labels. */
        public Series(String name, double[] mmacs, double[] errorPercent, boolean connect) {
            this(name, mmacs, errorPercent, connect, List.of());
        }

        /** Error-vs-cost series of a run's exits, points labelled with the exit number. */
        public static Series ofExits(String name, List<ExitResult> exits, boolean labelled) {
            double[] x = new double[exits.size()];
            double[] y = new double[exits.size()];
            List<String> labels = new ArrayList<>(exits.size());
            for (int i = 0; i < exits.size(); i++) {
                ExitResult e = exits.get(i);
                x[i] = e.cumulativeMacs() / 1e6;
                y[i] = 100.0 * e.testError();
                labels.add(Integer.toString(e.index()));
            }
            return new Series(name, x, y, true, labelled ? labels : List.of());
        }
    }

    private ErrorCostPlot() {
    }

    /** The run's exits as one labelled curve, titled with the run name and dataset. */
    public static void writeAnytime(RunReport r, Path png, Path svg) throws IOException {
        String title = r.name() + (r.dataset() == null || r.dataset().isBlank() ? "" : " (" + r.dataset() + ")");
        write(title, List.of(Series.ofExits("exits", r.exits(), true)), png, svg);
    }

    /**
     * Writes the plot as PNG and/or SVG (either path may be {@code null} to skip it), each
     * atomically. Non-finite points are skipped.
     *
     * @throws IllegalArgumentException if there is no series, names repeat, or no finite point
     */
    public static void write(String title, List<Series> series, Path png, Path svg) throws IOException {
        XYChart chart = chart(title, series);
        if (png != null) {
            AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        }
        if (svg != null) {
            AtomicFiles.write(svg, out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out,
                    VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
        }
    }

    /** Builds the chart without writing it, for callers that want to adjust styling or encode it elsewhere. */
    public static XYChart chart(String title, List<Series> series) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("nothing to plot: no series");
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title == null ? "" : title).xAxisTitle(X_TITLE).yAxisTitle(Y_TITLE).build();
        var st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderVisible(true);
        st.setPlotBorderColor(Color.GRAY);
        st.setPlotGridLinesColor(new Color(225, 225, 225));
        st.setPlotGridLinesStroke(new BasicStroke(1f));
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setLegendBorderColor(Color.LIGHT_GRAY);
        st.setMarkerSize(8);
        st.setXAxisDecimalPattern("#,##0.##");
        st.setYAxisDecimalPattern("0.0");
        st.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        st.setChartTitleBoxVisible(false);
        Color[] palette = st.getSeriesColors();

        Set<String> names = new HashSet<>();
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        int plotted = 0;
        for (Series s : series) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("duplicate series name '" + s.name() + "'");
            }
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < s.mmacs().length; i++) {
                if (Double.isFinite(s.mmacs()[i]) && Double.isFinite(s.errorPercent()[i])) {
                    keep.add(i);
                }
            }
            if (keep.isEmpty()) {
                continue;
            }
            double[] x = new double[keep.size()];
            double[] y = new double[keep.size()];
            for (int k = 0; k < keep.size(); k++) {
                x[k] = s.mmacs()[keep.get(k)];
                y[k] = s.errorPercent()[keep.get(k)];
                xMax = Math.max(xMax, x[k]);
                yMin = Math.min(yMin, y[k]);
                yMax = Math.max(yMax, y[k]);
            }
            Color color = palette[plotted % palette.length];
            XYSeries xy = chart.addSeries(s.name(), x, y);
            xy.setXYSeriesRenderStyle(s.connect()
                    ? XYSeries.XYSeriesRenderStyle.Line : XYSeries.XYSeriesRenderStyle.Scatter);
            xy.setMarker(MARKERS[plotted % MARKERS.length]);
            xy.setLineColor(color);
            xy.setMarkerColor(color);
            if (!s.labels().isEmpty()) {
                for (int k = 0; k < keep.size(); k++) {
                    chart.addAnnotation(new PointLabel(s.labels().get(keep.get(k)), x[k], y[k], color.darker()));
                }
            }
            plotted++;
        }
        if (plotted == 0) {
            throw new IllegalArgumentException("nothing to plot: no finite points in any series");
        }
        // Fixed ranges with margins so edge markers and labels are not clipped.
        double span = yMax - yMin;
        double pad = span > 0 ? 0.08 * span : Math.max(1.0, 0.05 * Math.abs(yMax));
        st.setXAxisMin(0.0);
        st.setXAxisMax(xMax > 0 ? xMax * 1.08 : 1.0);
        st.setYAxisMin(Math.max(0.0, yMin - pad));
        st.setYAxisMax(yMax + 1.5 * pad); // extra room for labels above the top point
        return chart;
    }
}
