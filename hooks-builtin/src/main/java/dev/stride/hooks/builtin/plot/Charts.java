package dev.stride.hooks.builtin.plot;

import dev.stride.runner.api.internal.AxisRange;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The look of the training curves in XChart. Their axes' ranges and tick labels are
 * {@link AxisRange}'s, which keep the ticks XChart computes round and distinct.
 */
final class Charts {
    /** Matplotlib's "tab10" colours, in order: series {@code i} of a chart gets colour {@code i}. */
    static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22),
        new Color(0x17becf)};
    /** Series of at most this many points are drawn with a dot at each point (a single point is only a dot). */
    static final int MARKED_POINTS = 40;
    private static final Color INK = new Color(60, 60, 60);
    private static final Color GRID = new Color(225, 225, 225);
    /**
     * Width reserved for the y axis (its labels and title); more than XChart needs for short labels,
     * so that {@link #alignedPlots} can line the plots up by widening it.
     */
    private static final int Y_AXIS_WIDTH = 80;

    private Charts() {}

    /** An empty line chart in Stride's style. */
    static XYChart xy(int width, int height, String title, String xTitle, String yTitle) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(INK);
        s.setPlotGridLinesColor(GRID);
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setPlotContentSize(1.0); // the margins are the ranges' (AxisRange)
        s.setChartFontColor(INK);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setAxisTickLabelsColor(INK);
        s.setYAxisLabelAlignment(AxesChartStyler.TextAlignment.Right);
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendBackgroundColor(new Color(255, 255, 255, 230));
        s.setLegendBorderColor(new Color(200, 200, 200));
        s.setYAxisLeftWidthHint(Y_AXIS_WIDTH);
        s.setSeriesColors(COLORS);
        s.setMarkerSize(7);
        return chart;
    }

    /**
     * The charts as images whose plots start at the same x, to be stacked: XChart sizes the y axis
     * by its tick labels ({@code 0.8} is narrower than {@code 0.15}), so each chart is drawn once,
     * then those whose plot starts left of the others' get that much more room for their y axis.
     */
    static List<BufferedImage> alignedPlots(List<XYChart> charts) {
        List<BufferedImage> images = new ArrayList<>();
        double left = Double.NEGATIVE_INFINITY;
        for (XYChart chart : charts) {
            images.add(BitmapEncoder.getBufferedImage(chart));
            left = Math.max(left, plotLeft(chart));
        }
        for (int i = 0; i < charts.size(); i++) {
            XYChart chart = charts.get(i);
            long shift = Math.round(left - plotLeft(chart));
            if (shift > 0) {
                chart.getStyler().setYAxisLeftWidthHint(chart.getStyler().getYAxisLeftWidthHint() + (int) shift);
                images.set(i, BitmapEncoder.getBufferedImage(chart));
            }
        }
        return images;
    }

    /** Where the plot of a drawn chart starts: the x in pixels of its x axis' minimum. */
    static double plotLeft(XYChart chart) {
        return chart.getScreenXFromChart(chart.getStyler().getXAxisMin());
    }

    /** Adds series number {@code index} of a chart in its colour, as a 2-pixel line, dotted when it has few points. */
    static XYSeries line(XYChart chart, int index, String name, double[] xs, double[] ys) {
        XYSeries series = chart.addSeries(name, xs, ys);
        Color c = COLORS[index % COLORS.length];
        series.setLineColor(c);
        series.setMarkerColor(c);
        series.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND));
        boolean few = xs.length <= MARKED_POINTS;
        series.setMarker(few ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        // XChart draws a line segment by segment, and antialiasing shows their every joint as a lighter
        // (butt caps) or darker (round caps) spot; a "smooth" series is drawn as one path. Between points
        // a pixel or two apart it is a line; the joints of a few points are under their dots.
        series.setSmooth(!few);
        return series;
    }

    /** Shows {@code x} and {@code y} on the chart's axes, with tick labels that suit them. */
    static void axes(XYChart chart, AxisRange x, AxisRange y) {
        XYStyler s = chart.getStyler();
        s.setXAxisMin(x.lo());
        s.setXAxisMax(x.hi());
        s.setYAxisMin(y.lo());
        s.setYAxisMax(y.hi());
        s.setxAxisTickLabelsFormattingFunction(x.labels());
        s.setyAxisTickLabelsFormattingFunction(y.labels());
    }

    /**
     * The legend in the inside corner of the plot that covers the fewest points of the chart's
     * series (the top right one when several are empty).
     */
    static void legendAwayFromTheData(XYChart chart, AxisRange x, AxisRange y) {
        LegendPosition[] corners = {LegendPosition.InsideNE, LegendPosition.InsideNW, LegendPosition.InsideSE,
            LegendPosition.InsideSW};
        int[] covered = new int[corners.length];
        for (XYSeries series : chart.getSeriesMap().values()) {
            double[] xs = series.getXData();
            double[] ys = series.getYData();
            for (int i = 0; i < xs.length; i++) {
                double fx = (xs[i] - x.lo()) / (x.hi() - x.lo());
                double fy = (ys[i] - y.lo()) / (y.hi() - y.lo());
                boolean east = fx > 0.6;
                boolean west = fx < 0.4;
                boolean north = fy > 0.65;
                boolean south = fy < 0.35;
                covered[0] += north && east ? 1 : 0;
                covered[1] += north && west ? 1 : 0;
                covered[2] += south && east ? 1 : 0;
                covered[3] += south && west ? 1 : 0;
            }
        }
        int best = 0;
        for (int i = 1; i < corners.length; i++) {
            if (covered[i] < covered[best]) {
                best = i;
            }
        }
        chart.getStyler().setLegendPosition(corners[best]);
    }
}
