package dev.stride.hooks.builtin.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler.LegendPosition;

/** The axis ranges and tick labels of the charts: the ticks XChart computes in them are round and distinct. */
class ChartsTest {
    /** Draws one series in a chart of the given size with the ranges of {@link Charts} and returns it painted. */
    private static XYChart painted(int width, int height, double[] xs, double[] ys) {
        XYChart chart = Charts.xy(width, height, "t", "iteration", "y");
        Charts.line(chart, 0, "s", xs, ys);
        Charts.axes(chart, Charts.range(xs), Charts.range(ys));
        BitmapEncoder.getBufferedImage(chart);
        return chart;
    }

    private static double[] iterations(int from, int to, int every) {
        return java.util.stream.IntStream.iterate(from, i -> i <= to, i -> i + every).asDoubleStream().toArray();
    }

    @Test
    void onePointAt125GetsARoundAxisAroundIt() {
        assertEquals(new Charts.Range(100, 200), Charts.around(125));
        Charts.Range r = Charts.range(new double[] {125});
        assertTrue(r.lo() < 100 && r.lo() > 90 && r.hi() > 200 && r.hi() < 210, r.toString());
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
        assertEquals(new Charts.Range(0, 0.2), Charts.around(0.1));
        assertEquals(new Charts.Range(0.2, 0.4), Charts.around(0.3), "0.3 is no 0.30000000000000004");
        assertEquals(new Charts.Range(0.6, 0.7), Charts.around(0.6931));
        assertEquals(new Charts.Range(-1, 1), Charts.around(0));
        assertEquals(new Charts.Range(-200, -100), Charts.around(-125));
        assertEquals(0, Charts.around(1e-4).lo(), 1e-18);
        assertEquals(2e-4, Charts.around(1e-4).hi(), 1e-18);
        Charts.Range flat = Charts.range(new double[] {0.1, 0.1, 0.1});
        assertTrue(flat.lo() < 0 && flat.hi() > 0.2, flat.toString());
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
    void twentyOneEquallySpacedPointsAreNotTakenForEquallySpacedWithTheirMargins() {
        double[] xs = iterations(0, 200, 10); // a 5 % margin is exactly one step
        assertTrue(new Charts.Range(-10, 210).equallySpacedWith(List.of(xs)), "what XChart would do with 5 %");
        Charts.Range r = Charts.range(xs);
        assertFalse(r.equallySpacedWith(List.of(xs)), r.toString());
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
    void labelsSuitTheMagnitude() {
        Function<Double, String> acc = new Charts.Range(0.27, 0.71).labels();
        assertEquals("0.25", acc.apply(0.25));
        assertEquals("0.3", acc.apply(0.30000000000000004));
        assertEquals("0", acc.apply(0.0));
        assertEquals("0", acc.apply(-0.0));
        Function<Double, String> iters = new Charts.Range(-50, 1050).labels();
        assertEquals("1000", iters.apply(1000.0));
        assertEquals("-50", iters.apply(-50.0));
        Function<Double, String> lr = new Charts.Range(-5e-6, 1.05e-4).labels();
        assertEquals("2e-5", lr.apply(2.0000000000000002e-5));
        assertEquals("1.5e-4", lr.apply(1.5e-4));
        assertEquals("0", lr.apply(0.0));
        assertEquals("2e6", new Charts.Range(0, 5e6).labels().apply(2e6));
        Function<Double, String> nearlyFlat = new Charts.Range(0.09999, 0.10001).labels();
        assertEquals("0.099995", nearlyFlat.apply(0.099995));
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
        Charts.legendAwayFromTheData(loss, Charts.range(xs), Charts.range(falling));
        assertEquals(LegendPosition.InsideNE, loss.getStyler().getLegendPosition());
        XYChart accuracy = painted(600, 300, xs, rising);
        Charts.legendAwayFromTheData(accuracy, Charts.range(xs), Charts.range(rising));
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
