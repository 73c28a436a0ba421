package dev.stride.hooks.builtin.plot;

import dev.stride.runner.api.internal.AxisRange;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * The picture of the plot hook: one XChart line chart per panel of curves that has data (loss,
 * learning rate, val metrics), stacked top to bottom in one image. The panels share the x axis,
 * the train iteration.
 */
final class CurvesChart {
    static final String X_TITLE = "iteration";
    /** The height of the x axis' title, which only the bottom panel shows, so it is that much taller. */
    private static final int X_TITLE_HEIGHT = 18;

    private CurvesChart() {}

    /** The charts of the panels with data, in order, their heights adding up to {@code height}. */
    static List<XYChart> panels(Curves curves, int width, int height) {
        List<Map.Entry<String, Map<String, Series>>> shown = new ArrayList<>();
        for (Map.Entry<String, Map<String, Series>> p : curves.panels().entrySet()) {
            if (p.getValue().values().stream().anyMatch(s -> !s.isEmpty())) {
                shown.add(p);
            }
        }
        if (shown.isEmpty()) {
            XYChart empty = Charts.xy(width, height, "no data yet", X_TITLE, "");
            Charts.axes(empty, AxisRange.of(new double[0]), AxisRange.of(new double[0]));
            empty.getStyler().setAxisTicksVisible(false);
            return List.of(empty);
        }
        List<List<double[][]>> data = new ArrayList<>();
        List<double[]> xs = new ArrayList<>();
        for (Map.Entry<String, Map<String, Series>> p : shown) {
            List<double[][]> panel = new ArrayList<>();
            List<Double> panelXs = new ArrayList<>();
            for (Series s : p.getValue().values()) {
                double[][] xy = columns(s.points());
                panel.add(xy);
                for (double x : xy[0]) {
                    panelXs.add(x);
                }
            }
            data.add(panel);
            xs.add(panelXs.stream().mapToDouble(Double::doubleValue).toArray());
        }
        AxisRange x = AxisRange.of(xs);
        List<XYChart> charts = new ArrayList<>();
        int n = shown.size();
        int h = (height - X_TITLE_HEIGHT) / n;
        for (int i = 0; i < n; i++) {
            String title = shown.get(i).getKey();
            boolean bottom = i == n - 1;
            XYChart chart = Charts.xy(width, bottom ? height - (n - 1) * h : h, title, X_TITLE, title);
            chart.getStyler().setXAxisTitleVisible(bottom); // the panels share the x axis: its title once, below
            List<double[]> ys = new ArrayList<>();
            int c = 0;
            for (Map.Entry<String, Series> s : shown.get(i).getValue().entrySet()) {
                double[][] xy = data.get(i).get(c);
                if (xy[0].length > 0) {
                    Charts.line(chart, c, s.getKey(), xy[0], xy[1]);
                    ys.add(xy[1]);
                }
                c++;
            }
            AxisRange y = AxisRange.of(ys);
            Charts.axes(chart, x, y);
            Charts.legendAwayFromTheData(chart, x, y);
            charts.add(chart);
        }
        return charts;
    }

    /** The panels drawn one below the other into one image of {@code width} by {@code height}. */
    static BufferedImage paint(Curves curves, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int y = 0;
            for (BufferedImage panel : Charts.alignedPlots(panels(curves, width, height))) {
                g.drawImage(panel, 0, y, null);
                y += panel.getHeight();
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static double[][] columns(List<double[]> points) {
        double[][] xy = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            xy[0][i] = points.get(i)[0];
            xy[1][i] = points.get(i)[1];
        }
        return xy;
    }
}
