package dev.stride.launcher.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** What sweep.png shows: the charts it is drawn from, their ticks, and the picture. */
class SweepChartTest {
    @TempDir
    Path dir;

    private static final double[] LR = {0.1, 0.02, 0.005};

    /** Trial {@code t} logs its train loss every 5 iterations to 30 and validates at 10, 20 and 30. */
    private static List<TrialResult> threeTrials() {
        List<TrialResult> results = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            TrainingCurves c = new TrainingCurves(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
            for (long i = 5; i <= 30; i += 5) {
                c.trainLoss().put(i, 2.3 / (1 + i * LR[t]));
            }
            for (long i = 10; i <= 30; i += 10) {
                c.valAccuracy().put(i, 0.32 + 0.345 * i / 30 * (t + 1) / 3);
            }
            results.add(result(t, c));
        }
        return results;
    }

    private static TrialResult result(int t, TrainingCurves curves) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("optimizer.lr", Double.toString(LR[t]));
        settings.put("model.hidden", "[" + (16 << t) + "]");
        return new TrialResult(new Trial(t, settings), "trial_" + t, 3, 30, "completed", 0, null, 1.0, curves);
    }

    @Test
    void oneSeriesPerTrialNamedByItsOverridesInBothCharts() {
        List<TrialResult> results = threeTrials();
        List<XYChart> charts = SweepChart.charts(results);
        assertEquals(List.of("train loss", "val accuracy"), charts.stream().map(XYChart::getTitle).toList());
        List<String> names = List.of("#0  optimizer.lr=0.1, model.hidden=[16]", "#1  optimizer.lr=0.02, model.hidden=[32]",
                "#2  optimizer.lr=0.005, model.hidden=[64]");
        for (XYChart chart : charts) {
            assertEquals(names, List.copyOf(chart.getSeriesMap().keySet()));
            assertEquals("iteration", chart.getXAxisTitle());
            assertEquals(chart.getTitle(), chart.getYAxisTitle());
            for (int t = 0; t < 3; t++) {
                assertEquals(SweepChart.COLORS[t], chart.getSeriesMap().get(names.get(t)).getLineColor(), "a trial's colour in both");
            }
        }
        XYSeries loss = charts.get(0).getSeriesMap().get(names.get(1));
        assertArrayEquals(new double[] {5, 10, 15, 20, 25, 30}, loss.getXData());
        assertEquals(2.3 / (1 + 5 * 0.02), loss.getYData()[0], 1e-12);
        XYSeries acc = charts.get(1).getSeriesMap().get(names.get(2));
        assertArrayEquals(new double[] {10, 20, 30}, acc.getXData());
        assertArrayEquals(new double[] {0.32 + 0.345 / 3, 0.32 + 0.345 * 2 / 3, 0.665}, acc.getYData(), 1e-12);
        assertEquals(SeriesMarkers.CIRCLE, acc.getMarker(), "few points: dots");
    }

    @Test
    void theTicksAreRoundAndDistinct() {
        // the hand-drawn chart had 0.320 / 0.492 / 0.665 on the accuracy axis
        List<XYChart> charts = SweepChart.charts(threeTrials());
        for (XYChart chart : charts) {
            BitmapEncoder.getBufferedImage(chart);
            AxisTicks.assertRound(AxisTicks.of(chart, true), 4);
            AxisTicks.assertRound(AxisTicks.of(chart, false), 4);
            assertEquals(AxisTicks.of(charts.get(0), true), AxisTicks.of(chart, true), "the charts share the x axis");
        }
    }

    @Test
    void oneValPointPerTrialNoLongerRepeatsItsIteration() {
        // the hand-drawn chart's x axis read 125 125 126 126 126 with one val point at iteration 125
        List<TrialResult> results = new ArrayList<>();
        List<TrialResult> valOnly = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            TrainingCurves c = new TrainingCurves(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
            TrainingCurves v = new TrainingCurves(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
            for (long i = 25; i <= 125; i += 25) {
                c.trainLoss().put(i, 1.0 / i);
            }
            c.valAccuracy().put(125L, 0.9 + t / 100.0);
            v.valAccuracy().put(125L, 0.9 + t / 100.0);
            results.add(result(t, c));
            valOnly.add(result(t, v));
        }
        assertEquals(List.of("val accuracy"), SweepChart.charts(valOnly).stream().map(XYChart::getTitle).toList(),
                "no train loss chart without a train loss");
        for (List<TrialResult> sweep : List.of(results, valOnly)) {
            List<XYChart> charts = SweepChart.charts(sweep);
            XYChart val = charts.get(charts.size() - 1);
            BitmapEncoder.getBufferedImage(val);
            List<String> x = AxisTicks.of(val, true);
            AxisTicks.assertRound(x, 3);
            assertTrue(x.contains("100"), x.toString());
            AxisTicks.assertRound(AxisTicks.of(val, false), 3);
        }
    }

    @Test
    void aDivergedTrialsNonFiniteLossesAreLeftOut() {
        List<TrialResult> results = threeTrials();
        results.get(0).curves().trainLoss().put(35L, Double.NaN);
        results.get(0).curves().trainLoss().put(40L, Double.POSITIVE_INFINITY);
        XYSeries loss = SweepChart.charts(results).get(0).getSeriesMap().values().iterator().next();
        assertEquals(6, loss.getXData().length);
    }

    @Test
    void withoutValidationOnlyTheTrainLoss() {
        List<TrialResult> results = threeTrials();
        results.forEach(r -> r.curves().valAccuracy().clear());
        assertEquals(List.of("train loss"), SweepChart.charts(results).stream().map(XYChart::getTitle).toList());
    }

    @Test
    void withoutAnyValueAnEmptyChartSaysSo() throws Exception {
        List<TrialResult> results = threeTrials();
        results.forEach(r -> {
            r.curves().valAccuracy().clear();
            r.curves().trainLoss().replaceAll((i, v) -> Double.NaN);
        });
        List<XYChart> charts = SweepChart.charts(results);
        assertEquals(List.of("train loss: no data"), charts.stream().map(XYChart::getTitle).toList());
        assertTrue(charts.get(0).getSeriesMap().isEmpty());
        assertEquals(charts.get(0).getWidth(), ImageIO.read(SweepChart.write(dir, results).toFile()).getWidth());
    }

    @Test
    void thePngHoldsBothChartsWithEveryTrialsColour() throws Exception {
        Path file = SweepChart.write(dir, threeTrials());
        assertEquals(dir.resolve("sweep.png"), file);
        BufferedImage png = ImageIO.read(file.toFile());
        List<XYChart> charts = SweepChart.charts(threeTrials());
        assertEquals(2 * charts.get(0).getWidth(), png.getWidth());
        assertEquals(charts.get(0).getHeight(), png.getHeight());
        int half = png.getWidth() / 2;
        for (int t = 0; t < 3; t++) {
            assertTrue(pixelsNear(png, SweepChart.COLORS[t], 0, half) > 150, "trial " + t + " in the train loss chart");
            assertTrue(pixelsNear(png, SweepChart.COLORS[t], half, png.getWidth()) > 150, "trial " + t + " in the val chart");
        }
        assertTrue(pixelsNear(png, Color.WHITE, 0, png.getWidth()) > png.getWidth() * png.getHeight() / 2, "white background");
    }

    /** Pixels of the columns {@code left} (inclusive) to {@code right} near {@code c}. */
    static long pixelsNear(BufferedImage img, Color c, int left, int right) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = left; x < right; x++) {
                Color p = new Color(img.getRGB(x, y));
                if (Math.abs(p.getRed() - c.getRed()) + Math.abs(p.getGreen() - c.getGreen())
                        + Math.abs(p.getBlue() - c.getBlue()) < 30) {
                    n++;
                }
            }
        }
        return n;
    }
}
