package dev.stride.hooks.builtin.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The look of the training curves in XChart, and the axis ranges and tick labels that keep the
 * ticks XChart computes round and distinct.
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
    /** The margins below and above the values that {@link #range} tries, in order. */
    private static final double[][] MARGINS = {{0.05, 0.05}, {0.05, 0.08}, {0.08, 0.05}, {0.03, 0.06}};

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
        s.setPlotContentSize(1.0); // the margins are the ranges' (see range)
        s.setChartFontColor(INK);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setAxisTickLabelsColor(INK);
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
    static void axes(XYChart chart, Range x, Range y) {
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
    static void legendAwayFromTheData(XYChart chart, Range x, Range y) {
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

    /**
     * The range an axis shows values in: theirs, 5 % wider on each side (matplotlib's margins). A
     * single value (one point, a flat line) takes the round numbers around it instead of its own
     * range, e.g. 100 to 200 for 125 and 0 to 0.2 for 0.1, so that its ticks are distinct round
     * numbers.
     *
     * <p>XChart 3.8.8 puts the ticks at the data's own values, not at round numbers, when those
     * values and the axis' ends are equally spaced (knowm/XChart#731: iterations 1 to 1000 get the
     * ticks 1, 37, 73, ...; one point in the middle of its axis gets a single tick); the margins
     * are then changed until they are not.
     *
     * @param charts for each chart that shows this range, its values on the axis in the order
     *     XChart meets them (series after series); non-finite values are left out
     */
    static Range range(List<double[]> charts) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] values : charts) {
            for (double v : values) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min > max) {
            return new Range(0, 1);
        }
        if (max - min <= 1e-9 * Math.max(Math.abs(min), Math.abs(max))) {
            Range round = around(min);
            min = round.lo();
            max = round.hi();
        }
        Range r = null;
        for (double[] margin : MARGINS) {
            r = new Range(min - margin[0] * (max - min), max + margin[1] * (max - min));
            if (!r.equallySpacedWith(charts)) {
                return r;
            }
        }
        return r;
    }

    static Range range(double[] values) {
        return range(List.of(values));
    }

    /** The round numbers around a value: the multiples of its leading digit's power of ten below and above it. */
    static Range around(double v) {
        if (v == 0) {
            return new Range(-1, 1);
        }
        BigDecimal b = BigDecimal.valueOf(v);
        BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(b.precision() - b.scale() - 1);
        BigDecimal lo = b.divide(unit).setScale(0, RoundingMode.FLOOR).multiply(unit);
        BigDecimal hi = b.divide(unit).setScale(0, RoundingMode.CEILING).multiply(unit);
        if (lo.compareTo(hi) == 0) {
            lo = lo.subtract(unit);
            hi = hi.add(unit);
        }
        return new Range(lo.doubleValue(), hi.doubleValue());
    }

    /** An axis from {@code lo} to {@code hi}. */
    record Range(double lo, double hi) {
        /**
         * Tick labels for this range, with as many digits as its span needs: plain decimals
         * ({@code 0.25}, {@code 1200}), or scientific notation ({@code 2.5e-5}) when the values
         * are below 0.01 or reach a million; {@code 0} for zero.
         */
        Function<Double, String> labels() {
            double span = hi - lo;
            double big = Math.max(Math.abs(lo), Math.abs(hi));
            boolean scientific = big < 1e-2 || big >= 1e6;
            int decimals = (int) Math.max(0, Math.min(12, 2 - Math.floor(Math.log10(span))));
            int digits = (int) Math.max(2, Math.min(15, Math.ceil(Math.log10(big / span)) + 2));
            return v -> {
                if (Math.abs(v) <= span * 1e-9) {
                    return "0";
                }
                if (!scientific) {
                    return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros()
                            .toPlainString();
                }
                BigDecimal d = BigDecimal.valueOf(v).round(new MathContext(digits)).stripTrailingZeros();
                int exponent = d.precision() - d.scale() - 1;
                return d.movePointLeft(exponent).toPlainString() + "e" + exponent;
            };
        }

        /** Whether XChart 3.8.8 would take these values of one of the charts as equally spaced (AxisTickCalculator_). */
        boolean equallySpacedWith(List<double[]> charts) {
            for (double[] values : charts) {
                LinkedHashSet<Double> set = new LinkedHashSet<>();
                set.add(lo);
                for (double v : values) {
                    set.add(v);
                }
                set.add(hi);
                List<Double> list = new ArrayList<>(set);
                if (list.size() < 2) {
                    continue;
                }
                double space = list.get(1) - list.get(0);
                boolean equal = 0.0001 <= Math.abs(hi - lo);
                for (int i = 1; i < list.size() && equal; i++) {
                    equal = Math.abs(list.get(i) - list.get(i - 1) - space) < 0.0001;
                }
                if (equal) {
                    return true;
                }
            }
            return false;
        }
    }
}
