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
    /** Half the width of a range's caps, as a share of the largest cost plotted. */
    static final double CAP_SHARE = 0.005;
    /** A range's name in the chart (it has no legend entry): its series' name and this. */
    static final String RANGE_SUFFIX = " range";

    /**
     * One curve (or point cloud).
     *
     * @param name         legend name, unique within a plot
     * @param mmacs        x values, cumulative cost in millions of MACs
     * @param errorPercent y values, test error in percent (same length as {@code mmacs})
     * @param connect      draw lines between consecutive points (else markers only)
     * @param labels       per-point labels drawn next to the markers, or empty for none
     * @param low          per point, the bottom of a range drawn as a vertical bar with caps (e.g. the
     *                     lowest error over seeds), or null for no ranges
     * @param high         per point, the top of that range; null exactly when {@code low} is
     */
    public record Series(String name, double[] mmacs, double[] errorPercent, boolean connect,
                         List<String> labels, double[] low, double[] high) {

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
            if ((low == null) != (high == null)
                    || low != null && (low.length != mmacs.length || high.length != mmacs.length)) {
                throw new IllegalArgumentException("series '" + name + "': a range needs a low and a high value"
                        + " per point");
            }
            mmacs = mmacs.clone();
            errorPercent = errorPercent.clone();
            low = low == null ? null : low.clone();
            high = high == null ? null : high.clone();
        }

        /** A series without ranges. */
        public Series(String name, double[] mmacs, double[] errorPercent, boolean connect, List<String> labels) {
            this(name, mmacs, errorPercent, connect, labels, null, null);
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

        // first the finite points of every series and the extent of the data, ranges included
        Set<String> names = new HashSet<>();
        List<Series> kept = new ArrayList<>();
        List<List<Integer>> keptPoints = new ArrayList<>();
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("duplicate series name '" + s.name() + "'");
            }
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < s.mmacs().length; i++) {
                if (Double.isFinite(s.mmacs()[i]) && Double.isFinite(s.errorPercent()[i])) {
                    keep.add(i);
                    xMax = Math.max(xMax, s.mmacs()[i]);
                    yMin = Math.min(yMin, s.errorPercent()[i]);
                    yMax = Math.max(yMax, s.errorPercent()[i]);
                    if (hasRange(s, i)) {
                        yMin = Math.min(yMin, s.low()[i]);
                        yMax = Math.max(yMax, s.high()[i]);
                    }
                }
            }
            if (!keep.isEmpty()) {
                kept.add(s);
                keptPoints.add(keep);
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("nothing to plot: no finite points in any series");
        }
        double capHalfWidth = CAP_SHARE * xMax;
        for (int plotted = 0; plotted < kept.size(); plotted++) {
            Series s = kept.get(plotted);
            List<Integer> keep = keptPoints.get(plotted);
            double[] x = new double[keep.size()];
            double[] y = new double[keep.size()];
            for (int k = 0; k < keep.size(); k++) {
                x[k] = s.mmacs()[keep.get(k)];
                y[k] = s.errorPercent()[keep.get(k)];
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
            addRanges(chart, s, keep, names, color, capHalfWidth);
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

    private static boolean hasRange(Series s, int i) {
        return s.low() != null && Double.isFinite(s.low()[i]) && Double.isFinite(s.high()[i]);
    }

    /**
     * Draws a series' ranges as one line series without legend entry: per point a vertical bar and two
     * caps, separated by NaN, where XChart lifts the pen.
     */
    private static void addRanges(XYChart chart, Series s, List<Integer> keep, Set<String> names, Color color,
            double capHalfWidth) {
        if (s.low() == null) {
            return;
        }
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i : keep) {
            if (!hasRange(s, i)) {
                continue;
            }
            double px = s.mmacs()[i];
            double lo = s.low()[i];
            double hi = s.high()[i];
            double[][] segments = {{px, lo, px, hi}, {px - capHalfWidth, lo, px + capHalfWidth, lo},
                {px - capHalfWidth, hi, px + capHalfWidth, hi}};
            for (double[] seg : segments) {
                x.addAll(List.of(seg[0], seg[2], seg[2]));
                y.addAll(List.of(seg[1], seg[3], Double.NaN));
            }
        }
        if (x.isEmpty()) {
            return;
        }
        String name = s.name() + RANGE_SUFFIX;
        while (!names.add(name)) {
            name += "'";
        }
        XYSeries range = chart.addSeries(name, x.stream().mapToDouble(Double::doubleValue).toArray(),
                y.stream().mapToDouble(Double::doubleValue).toArray());
        range.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        range.setMarker(SeriesMarkers.NONE);
        range.setLineColor(color);
        range.setLineStyle(new BasicStroke(1.2f));
        range.setShowInLegend(false);
    }
}
