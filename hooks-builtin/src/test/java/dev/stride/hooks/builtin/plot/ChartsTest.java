package dev.stride.hooks.builtin.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.internal.AxisRange;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler.LegendPosition;

/** The charts' style, and the ticks XChart computes in the ranges of {@link AxisRange}: round and distinct. */
class ChartsTest {
    /** Draws one series in a chart of the given size with the ranges of {@link AxisRange} and returns it painted. */
    private static XYChart painted(int width, int height, double[] xs, double[] ys) {
        XYChart chart = Charts.xy(width, height, "t", "iteration", "y");
        Charts.line(chart, 0, "s", xs, ys);
        Charts.axes(chart, AxisRange.of(xs), AxisRange.of(ys));
        BitmapEncoder.getBufferedImage(chart);
        return chart;
    }

    private static double[] iterations(int from, int to, int every) {
        return java.util.stream.IntStream.iterate(from, i -> i <= to, i -> i + every).asDoubleStream().toArray();
    }

    @Test
    void onePointAt125GetsARoundAxisAroundIt() {
        XYChart chart = painted(560, 380, new double[] {125}, new double[] {0.5});
        List<String> x = AxisTicks.of(chart, true);
        AxisTicks.assertRound(x, 3);
        assertTrue(x.contains("100") && x.contains("200"), x.toString());
        List<String> y = AxisTicks.of(chart, false);
        AxisTicks.assertRound(y, 3);
        assertTrue(y.contains("0.4") && y.contains("0.5") && y.contains("0.6"), y.toString());
    }

    @Test
    void aFlatLineGetsTheRoundNumbersAroundIt() {
        double[] lr = new double[500];
        java.util.Arrays.fill(lr, 0.1);
        XYChart chart = painted(900, 300, iterations(1, 500, 1), lr);
        List<String> y = AxisTicks.of(chart, false);
        AxisTicks.assertRound(y, 3);
        assertTrue(y.contains("0") && y.contains("0.1") && y.contains("0.2"), y.toString());
    }

    /** XChart 3.8.8 alone gives 1, 37, 73, ... for equally spaced iterations (knowm/XChart#731). */
    @Test
    void everyIterationFrom1To1000GivesTicksAtTheHundreds() {
        double[] xs = iterations(1, 1000, 1);
        double[] ys = new double[xs.length];
        for (int i = 0; i < ys.length; i++) {
            ys[i] = 2.0 / (1 + i / 10.0);
        }
        XYChart chart = painted(900, 300, xs, ys);
        List<String> x = AxisTicks.of(chart, true);
        AxisTicks.assertRound(x, 5);
        assertTrue(x.contains("500") && x.contains("1000"), x.toString());
        AxisTicks.assertRound(AxisTicks.of(chart, false), 3);
    }

    @Test
    void valPointsEvery125IterationsGetRoundTicksNotTheirOwn() {
        XYChart chart = painted(900, 300, iterations(125, 1000, 125), new double[] {0.3, 0.5, 0.6, 0.62, 0.7, 0.71, 0.7, 0.72});
        List<String> x = AxisTicks.of(chart, true);
        AxisTicks.assertRound(x, 4);
        assertFalse(x.contains("125") || x.contains("375"), x.toString());
    }

    @Test
    void twentyOneEquallySpacedPointsGetRoundTicks() {
        double[] xs = iterations(0, 200, 10); // a 5 % margin would be exactly one step
        AxisTicks.assertRound(AxisTicks.of(painted(700, 300, xs, xs), true), 4);
    }

    @Test
    void theSweepChartsOldTicksBecomeRound() {
        // sweep.png had 0.320 / 0.492 / 0.665 on y and, with one val point, 125 125 126 126 126 on x
        XYChart chart = painted(560, 380, new double[] {10, 20, 30}, new double[] {0.32, 0.5, 0.665});
        AxisTicks.assertRound(AxisTicks.of(chart, false), 4);
        AxisTicks.assertRound(AxisTicks.of(chart, true), 3);
    }

    @Test
    void theLegendGoesToTheCornerTheCurvesLeaveFree() {
        double[] xs = iterations(1, 100, 1);
        double[] falling = new double[xs.length];
        double[] rising = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            falling[i] = 2.0 / (1 + i / 10.0);
            rising[i] = 1 - falling[i] / 3;
        }
        XYChart loss = painted(600, 300, xs, falling);
        Charts.legendAwayFromTheData(loss, AxisRange.of(xs), AxisRange.of(falling));
        assertEquals(LegendPosition.InsideNE, loss.getStyler().getLegendPosition());
        XYChart accuracy = painted(600, 300, xs, rising);
        Charts.legendAwayFromTheData(accuracy, AxisRange.of(xs), AxisRange.of(rising));
        assertEquals(LegendPosition.InsideSE, accuracy.getStyler().getLegendPosition());
    }

    @Test
    void aLearningRateBelowOneHundredthIsWrittenInScientificNotation() {
        double[] xs = iterations(1, 300, 1);
        double[] lr = new double[xs.length];
        for (int i = 0; i < lr.length; i++) {
            lr[i] = 1e-6 + (1e-4 - 1e-6) * (1 + Math.cos(Math.PI * i / lr.length)) / 2;
        }
        List<String> y = AxisTicks.of(painted(900, 300, xs, lr), false);
        AxisTicks.assertRound(y, 3);
        assertTrue(y.stream().allMatch(l -> l.equals("0") || l.matches("\\d(\\.\\d+)?e-\\d+")), y.toString());
    }
}
