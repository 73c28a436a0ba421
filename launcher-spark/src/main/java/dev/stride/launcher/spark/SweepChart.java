package dev.stride.launcher.spark;

import dev.stride.runner.api.internal.AxisRange;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code sweep.png}: XChart line charts side by side, the train loss and the val accuracy against
 * the iteration (each when the trials have values for it), one series per trial in the same colour
 * in both, named in the legend by the trial's number and overrides. The axes' ranges and labels are
 * {@link AxisRange}'s (as the plot hook's), so the ticks XChart computes are round and distinct.
 */
final class SweepChart {
    /** The file name in the sweep's work dir. */
    static final String FILE = "sweep.png";
    static final String X_TITLE = "iteration";
    /** Matplotlib's "tab10" colours: trial {@code i} of the sweep gets colour {@code i}. */
    static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22),
        new Color(0x17becf)};
    private static final int PANEL_W = 600;
    private static final int PANEL_H = 400;
    private static final int LEGEND_LINE = 19;
    private static final Color INK = new Color(60, 60, 60);

    private SweepChart() {}

    static Path write(Path dir, List<TrialResult> results) {
        List<XYChart> charts = charts(results);
        BufferedImage image = new BufferedImage(charts.size() * PANEL_W, charts.get(0).getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        for (int i = 0; i < charts.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), i * PANEL_W, 0, null);
        }
        g.dispose();
        Path file = dir.resolve(FILE);
        try {
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** The train loss chart and the val accuracy chart, each when a trial has values for it (the first at least). */
    static List<XYChart> charts(List<TrialResult> results) {
        System.setProperty("java.awt.headless", "true");
        Map<String, Function<TrialResult, TreeMap<Long, Double>>> curves = new LinkedHashMap<>();
        curves.put("train loss", r -> r.curves().trainLoss());
        curves.put("val accuracy", r -> r.curves().valAccuracy());
        List<String> titles = new ArrayList<>();
        List<List<double[][]>> data = new ArrayList<>();
        List<double[]> xs = new ArrayList<>();
        for (Map.Entry<String, Function<TrialResult, TreeMap<Long, Double>>> curve : curves.entrySet()) {
            List<double[][]> panel = results.stream().map(r -> columns(curve.getValue().apply(r))).toList();
            double[] x = panel.stream().flatMapToDouble(xy -> Arrays.stream(xy[0])).toArray();
            if (x.length > 0) {
                titles.add(curve.getKey());
                data.add(panel);
                xs.add(x);
            }
        }
        if (titles.isEmpty()) { // not one finite value: an empty train loss chart says so
            titles.add("train loss");
            data.add(results.stream().map(r -> new double[2][0]).toList());
        }
        AxisRange x = AxisRange.of(xs);
        List<XYChart> charts = new ArrayList<>();
        for (int p = 0; p < titles.size(); p++) {
            String title = titles.get(p);
            XYChart chart = new XYChartBuilder().width(PANEL_W).height(PANEL_H + LEGEND_LINE * results.size())
                    .title(title).xAxisTitle(X_TITLE).yAxisTitle(title).build();
            style(chart.getStyler());
            List<double[]> ys = new ArrayList<>();
            for (int t = 0; t < results.size(); t++) {
                double[][] xy = data.get(p).get(t);
                if (xy[0].length > 0) {
                    XYSeries s = chart.addSeries(label(results.get(t).trial()), xy[0], xy[1]);
                    Color c = COLORS[t % COLORS.length];
                    s.setLineColor(c);
                    s.setMarkerColor(c);
                    s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND));
                    s.setMarker(xy[0].length <= 40 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
                    s.setSmooth(xy[0].length > 40); // one path: no antialiased joints (as the plot hook's Charts.line)
                    ys.add(xy[1]);
                }
            }
            AxisRange y = AxisRange.of(ys);
            if (ys.isEmpty()) {
                chart.setTitle(title + ": no data");
            }
            XYStyler s = chart.getStyler();
            s.setXAxisMin(x.lo());
            s.setXAxisMax(x.hi());
            s.setYAxisMin(y.lo());
            s.setYAxisMax(y.hi());
            s.setxAxisTickLabelsFormattingFunction(x.labels());
            s.setyAxisTickLabelsFormattingFunction(y.labels());
            charts.add(chart);
        }
        return charts;
    }

    /** A trial in the legend: its number, as in sweep.csv, and its overrides. */
    static String label(Trial trial) {
        return "#" + trial.index() + "  " + String.join(", ", trial.overrides());
    }

    private static void style(XYStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(INK);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setPlotContentSize(1.0);
        s.setChartFontColor(INK);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setAxisTickLabelsColor(INK);
        s.setYAxisLabelAlignment(AxesChartStyler.TextAlignment.Right);
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendPosition(LegendPosition.OutsideS);
        s.setLegendLayout(LegendLayout.Vertical);
        s.setLegendBorderColor(Color.WHITE);
        s.setMarkerSize(7);
        s.setYAxisLeftWidthHint(70);
    }

    private static double[][] columns(TreeMap<Long, Double> curve) {
        List<Map.Entry<Long, Double>> finite = curve.entrySet().stream().filter(e -> Double.isFinite(e.getValue())).toList();
        double[][] xy = new double[2][finite.size()];
        for (int i = 0; i < finite.size(); i++) {
            xy[0][i] = finite.get(i).getKey();
            xy[1][i] = finite.get(i).getValue();
        }
        return xy;
    }
}
