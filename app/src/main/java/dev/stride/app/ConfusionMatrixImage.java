package dev.stride.app;

import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * A confusion matrix as a PNG: an XChart heat map with the true classes down the left (the first
 * at the top), the predicted ones along the bottom, each labelled by its name when the data names
 * its classes (else by its number), the counts in the cells while they fit, and a colour scale.
 */
final class ConfusionMatrixImage {
    /** The colours of the scale, from no sample to the most: white to a blue on which black counts stay legible. */
    static final Color[] SCALE = {Color.WHITE, new Color(198, 219, 239), new Color(66, 146, 198)};
    static final String X_TITLE = "predicted";
    static final String Y_TITLE = "true";
    private static final Color INK = new Color(60, 60, 60);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final Font LABELS = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final FontRenderContext TEXT = new FontRenderContext(null, true, false);

    private ConfusionMatrixImage() {}

    /** The labels of {@code n} classes: their names when there are, else their numbers. */
    static List<String> labels(int n, List<String> classNames) {
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            labels.add(c < classNames.size() ? classNames.get(c) : Integer.toString(c));
        }
        return labels;
    }

    /**
     * The chart of {@code m[true class][predicted class]}, sized so that each cell is a square of
     * 16 to 56 pixels (more when the title needs it) and the labels fit.
     */
    static HeatMapChart chart(long[][] m, List<String> classNames, String title) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        int n = m.length;
        List<String> predicted = labels(n, classNames);
        List<String> actual = new ArrayList<>(predicted);
        Collections.reverse(actual); // XChart's y axis counts from the bottom
        List<Number[]> cells = new ArrayList<>();
        long max = 0;
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                cells.add(new Number[] {c, n - 1 - r, m[r][c]});
                max = Math.max(max, m[r][c]);
            }
        }
        double widest = predicted.stream().mapToDouble(ConfusionMatrixImage::width).max().orElse(0);
        // XChart centres the title over the plot, between the y axis (labels and title) and the colour scale
        double beside = Math.min(widest + 45, 90);
        double titleWidth = TITLE.getStringBounds(title, TEXT).getWidth();
        int cell = Math.max(16, Math.min(56, 560 / Math.max(1, n)));
        cell = Math.max(cell, (int) Math.ceil((titleWidth + 20 - 2 * beside) / Math.max(1, n)));
        boolean upright = widest > cell - 6; // names wider than a cell stand on end below it
        float valueSize = (float) Math.min(14, Math.max(9, cell * 0.3));
        boolean values = Long.toString(max).length() * valueSize * 0.62 <= cell - 4 && cell >= 24;
        int width = (int) (n * cell + widest + 190);
        int height = (int) (n * cell + 90 + (upright ? widest : 18));

        HeatMapChart chart = new HeatMapChartBuilder().width(width).height(height).title(title).xAxisTitle(X_TITLE)
                .yAxisTitle(Y_TITLE).build();
        HeatMapStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setPlotGridLinesVisible(false);
        s.setPlotContentSize(1.0);
        s.setChartFontColor(INK);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(TITLE);
        s.setAxisTitleFont(LABELS);
        s.setAxisTickLabelsFont(LABELS);
        s.setAxisTickLabelsColor(INK);
        s.setXAxisLabelRotation(upright ? 90 : 0);
        s.setLegendPosition(LegendPosition.OutsideE);
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendBorderColor(Color.WHITE);
        s.setGradientColorColumnHeight(Math.max(100, Math.min(n * cell, 300)));
        s.setRangeColors(SCALE);
        s.setMin(0);
        s.setMax(Math.max(1, max));
        s.setDrawBorder(false);
        s.setShowValue(values);
        s.setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(valueSize)));
        s.setValueFontColor(Color.BLACK);
        s.setHeatMapValueDecimalPattern("0");
        chart.addSeries("samples", predicted, actual, cells);
        return chart;
    }

    static void write(long[][] m, List<String> classNames, String title, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart(m, classNames, title), out, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static double width(String label) {
        return LABELS.getStringBounds(label, TEXT).getWidth();
    }
}
