package dev.stride.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.chartpart.ChartPart;

/** What stride test's confusion_matrix.png shows: the chart it is drawn from, and the picture. */
class ConfusionMatrixImageTest {
    @TempDir
    Path dir;

    private static final long[][] PETS = {{42, 7, 1}, {2, 43, 5}, {6, 6, 38}};

    @Test
    void theClassesAreNamedOnBothAxesTheFirstAtTheTop() {
        HeatMapChart chart = ConfusionMatrixImage.chart(PETS, List.of("cat", "dog", "bird"), "pets.safetensors: accuracy 0.8200");
        assertEquals("pets.safetensors: accuracy 0.8200", chart.getTitle());
        assertEquals("predicted", chart.getXAxisTitle());
        assertEquals("true", chart.getYAxisTitle());
        HeatMapSeries series = chart.getHeatMapSeries();
        assertEquals(List.of("cat", "dog", "bird"), series.getXData());
        assertEquals(List.of("bird", "dog", "cat"), series.getYData(), "XChart's y axis counts from the bottom");
        assertTrue(chart.getStyler().isShowValue(), "three classes leave room for the counts");
    }

    @Test
    void eachCellHoldsItsCountAtItsTrueAndPredictedClass() {
        HeatMapChart chart = ConfusionMatrixImage.chart(PETS, List.of(), "t");
        HeatMapSeries series = chart.getHeatMapSeries();
        assertEquals(List.of("0", "1", "2"), series.getXData(), "unnamed classes show their numbers");
        List<Number[]> cells = new ArrayList<>(series.getHeatData());
        assertEquals(9, cells.size());
        for (Number[] cell : cells) {
            int predicted = cell[0].intValue();
            int actual = 2 - cell[1].intValue();
            assertEquals(PETS[actual][predicted], cell[2].longValue(), "true " + actual + ", predicted " + predicted);
        }
        assertEquals(0, chart.getStyler().getMin(), 0, "the colour scale starts at no sample");
        assertEquals(43, chart.getStyler().getMax(), 0, "and ends at the most");
    }

    @Test
    void aHundredClassesAreTooManyForCountsButKeepTheirLabels() {
        long[][] m = new long[100][100];
        for (int i = 0; i < 100; i++) {
            m[i][i] = 90;
            m[i][(i + 1) % 100] = 10;
        }
        HeatMapChart chart = ConfusionMatrixImage.chart(m, List.of(), "t");
        assertFalse(chart.getStyler().isShowValue());
        assertEquals(100, chart.getHeatMapSeries().getXData().size());
        assertEquals("99", chart.getHeatMapSeries().getXData().get(99));
        assertTrue(chart.getWidth() >= 1600 && chart.getHeight() >= 1600, "16 pixels a cell at least");
    }

    @Test
    void longNamesStandOnEndAndTheTitleFits() {
        List<String> fashion = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                "Ankle boot");
        assertEquals(90, ConfusionMatrixImage.chart(new long[10][10], fashion, "t").getStyler().getXAxisLabelRotation());
        assertEquals(0, ConfusionMatrixImage.chart(new long[10][10], List.of(), "t").getStyler().getXAxisLabelRotation());
        String title = "best_accuracy_epoch_12.safetensors on data.test: accuracy 0.7000";
        HeatMapChart two = ConfusionMatrixImage.chart(new long[][] {{1, 0}, {0, 1}}, List.of(), title);
        assertTrue(two.getWidth() > 2 * 56 + 190, "cells widened for the title: " + two.getWidth());
    }

    @Test
    void thePngShowsTheCellsInTheColoursOfTheirCounts() throws Exception {
        Path file = dir.resolve("confusion_matrix.png");
        ConfusionMatrixImage.write(PETS, List.of("cat", "dog", "bird"), "pets: accuracy 0.8200", file);
        BufferedImage png = ImageIO.read(file.toFile());
        HeatMapChart chart = ConfusionMatrixImage.chart(PETS, List.of("cat", "dog", "bird"), "pets: accuracy 0.8200");
        assertEquals(chart.getWidth(), png.getWidth());
        assertEquals(chart.getHeight(), png.getHeight());
        Rectangle2D plot = plotBounds(chart, png);
        assertTrue(plot.getWidth() > 150 && plot.getHeight() > 150, plot.toString());
        Color most = ConfusionMatrixImage.SCALE[ConfusionMatrixImage.SCALE.length - 1];
        assertEquals(most, cellColour(png, plot, 1, 1), "dog taken for a dog, 43 times: the most");
        assertTrue(distance(cellColour(png, plot, 0, 0), most) < 20, "cat for cat, 42 times: nearly the most");
        assertTrue(distance(cellColour(png, plot, 0, 2), Color.WHITE) < 20, "cat for bird once: nearly white");
        assertTrue(brightness(cellColour(png, plot, 0, 1)) > brightness(cellColour(png, plot, 2, 2)), "7 lighter than 38");
        assertTrue(pixelsNear(png, Color.BLACK, 60) > 100, "counts and labels");
        assertTrue(pixelsNear(png, Color.WHITE, 0) > png.getWidth() * png.getHeight() / 10, "a white background");
    }

    /** The plot's bounds in the picture (XChart has no public way to ask: its plot part, read by reflection, after painting). */
    private static Rectangle2D plotBounds(HeatMapChart chart, BufferedImage png) throws ReflectiveOperationException {
        chart.paint(png.createGraphics(), chart.getWidth(), chart.getHeight());
        Field plot = Chart.class.getDeclaredField("plot");
        plot.setAccessible(true);
        return ((ChartPart) plot.get(chart)).getBounds();
    }

    /** The colour near the top left corner of the cell of a true and a predicted class, away from its count. */
    private static Color cellColour(BufferedImage png, Rectangle2D plot, int actual, int predicted) {
        double w = plot.getWidth() / 3;
        double h = plot.getHeight() / 3;
        return new Color(png.getRGB((int) (plot.getX() + (predicted + 0.15) * w), (int) (plot.getY() + (actual + 0.15) * h)));
    }

    private static int distance(Color a, Color b) {
        return Math.abs(a.getRed() - b.getRed()) + Math.abs(a.getGreen() - b.getGreen()) + Math.abs(a.getBlue() - b.getBlue());
    }

    private static int brightness(Color c) {
        return c.getRed() + c.getGreen() + c.getBlue();
    }

    static long pixelsNear(BufferedImage img, Color c, int tolerance) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                Color p = new Color(img.getRGB(x, y));
                if (Math.abs(p.getRed() - c.getRed()) + Math.abs(p.getGreen() - c.getGreen())
                        + Math.abs(p.getBlue() - c.getBlue()) <= tolerance) {
                    n++;
                }
            }
        }
        return n;
    }
}
