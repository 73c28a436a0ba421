package dev.stride.runner.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The ranges and labels themselves; the ticks XChart computes with them are checked where the charts are drawn. */
class AxisRangeTest {
    private static double[] iterations(int from, int to, int every) {
        return IntStream.iterate(from, i -> i <= to, i -> i + every).asDoubleStream().toArray();
    }

    @Test
    void aSingleValueLiesBetweenTheRoundNumbersAroundIt() {
        assertEquals(new AxisRange(100, 200), AxisRange.around(125));
        assertEquals(new AxisRange(0, 0.2), AxisRange.around(0.1));
        assertEquals(new AxisRange(0.2, 0.4), AxisRange.around(0.3), "0.3 is no 0.30000000000000004");
        assertEquals(new AxisRange(0.6, 0.7), AxisRange.around(0.6931));
        assertEquals(new AxisRange(-1, 1), AxisRange.around(0));
        assertEquals(new AxisRange(-200, -100), AxisRange.around(-125));
        assertEquals(0, AxisRange.around(1e-4).lo(), 1e-18);
        assertEquals(2e-4, AxisRange.around(1e-4).hi(), 1e-18);
    }

    @Test
    void theRangeOfASingleValueIsThatWithMargins() {
        AxisRange r = AxisRange.of(new double[] {125});
        assertTrue(r.lo() < 100 && r.lo() > 90 && r.hi() > 200 && r.hi() < 210, r.toString());
        AxisRange flat = AxisRange.of(new double[] {0.1, 0.1, 0.1});
        assertTrue(flat.lo() < 0 && flat.hi() > 0.2, flat.toString());
        assertEquals(new AxisRange(0, 1), AxisRange.of(new double[0]), "no data");
        assertEquals(new AxisRange(0, 1), AxisRange.of(new double[] {Double.NaN}), "no finite data");
    }

    @Test
    void otherwiseTheValuesHaveFivePerCentMarginsOnEachSide() {
        AxisRange r = AxisRange.of(List.of(new double[] {0.3, 0.7}, new double[] {0.5, Double.POSITIVE_INFINITY}));
        assertEquals(0.28, r.lo(), 1e-12);
        assertEquals(0.72, r.hi(), 1e-12);
    }

    @Test
    void marginsThatXChartWouldTakeForEquallySpacedValuesAreChanged() {
        double[] xs = iterations(0, 200, 10); // a 5 % margin is exactly one step
        assertTrue(new AxisRange(-10, 210).equallySpacedWith(List.of(xs)), "what XChart would do with 5 %");
        AxisRange r = AxisRange.of(xs);
        assertFalse(r.equallySpacedWith(List.of(xs)), r.toString());
        assertEquals(-10, r.lo(), 1e-9);
        assertEquals(216, r.hi(), 1e-9, "8 % above");
        double[] middle = {0.5}; // around: 0.4 to 0.6, the point in the middle
        assertFalse(AxisRange.of(middle).equallySpacedWith(List.of(middle)));
        assertFalse(new AxisRange(0, 1000).equallySpacedWith(List.of(new double[] {1, 2, 3})));
        assertTrue(new AxisRange(0, 1000).equallySpacedWith(List.of(new double[] {3}, iterations(0, 1000, 1))),
                "any of the charts sharing the range");
    }

    @Test
    void labelsSuitTheMagnitude() {
        Function<Double, String> acc = new AxisRange(0.27, 0.71).labels();
        assertEquals("0.25", acc.apply(0.25));
        assertEquals("0.3", acc.apply(0.30000000000000004));
        assertEquals("0", acc.apply(0.0));
        assertEquals("0", acc.apply(-0.0));
        Function<Double, String> iters = new AxisRange(-50, 1050).labels();
        assertEquals("1000", iters.apply(1000.0));
        assertEquals("-50", iters.apply(-50.0));
        Function<Double, String> lr = new AxisRange(-5e-6, 1.05e-4).labels();
        assertEquals("2e-5", lr.apply(2.0000000000000002e-5));
        assertEquals("1.5e-4", lr.apply(1.5e-4));
        assertEquals("0", lr.apply(0.0));
        assertEquals("2e6", new AxisRange(0, 5e6).labels().apply(2e6));
        assertEquals("0.099995", new AxisRange(0.09999, 0.10001).labels().apply(0.099995));
    }
}
