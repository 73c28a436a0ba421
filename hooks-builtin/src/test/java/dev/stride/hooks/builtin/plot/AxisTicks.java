package dev.stride.hooks.builtin.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.knowm.xchart.internal.chartpart.Axis;
import org.knowm.xchart.internal.chartpart.AxisTickCalculator;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The tick labels XChart drew on a chart's axis. XChart 3.8.8 has no public way to ask, so this
 * reads its axis pair by reflection (tests run on the class path); the chart must have been painted.
 */
final class AxisTicks {
    private AxisTicks() {}

    /** The labels drawn on the x ({@code x = true}) or the y axis, in order. */
    static List<String> of(Chart<?, ?> chart, boolean x) {
        try {
            Field pair = Chart.class.getDeclaredField("axisPair");
            pair.setAccessible(true);
            Object axisPair = pair.get(chart);
            Method get = axisPair.getClass().getDeclaredMethod(x ? "getXAxis" : "getYAxis");
            get.setAccessible(true);
            Axis<?, ?> axis = (Axis<?, ?>) get.invoke(axisPair);
            AxisTickCalculator ticks = axis.getAxisTickCalculator();
            double length = x ? axis.getBounds().getWidth() : axis.getBounds().getHeight();
            List<String> shown = new ArrayList<>();
            for (int i = 0; i < ticks.getTickLabels().size(); i++) {
                double at = ticks.getTickLocations().get(i);
                if (ticks.getTickLabels().get(i) != null && at > 0 && at < length) { // what AxisTickLabels draws
                    shown.add(ticks.getTickLabels().get(i));
                }
            }
            return shown;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("XChart's axes changed: " + e, e);
        }
    }

    /**
     * Asserts at least {@code min} labels, all distinct, that are round numbers: equally spaced by
     * 1, 2 or 5 times a power of ten, each a multiple of that step.
     */
    static void assertRound(List<String> labels, int min) {
        assertTrue(labels.size() >= min, "at least " + min + " ticks: " + labels);
        assertEquals(labels.size(), new HashSet<>(labels).size(), "distinct labels: " + labels);
        List<BigDecimal> values = labels.stream().map(AxisTicks::parse).toList();
        if (values.size() < 2) {
            return;
        }
        BigDecimal step = values.get(1).subtract(values.get(0));
        BigDecimal mantissa = new BigDecimal(step.stripTrailingZeros().unscaledValue().abs());
        assertTrue(List.of(BigDecimal.ONE, BigDecimal.valueOf(2), BigDecimal.valueOf(5)).contains(mantissa),
                "a step of 1, 2 or 5 times a power of ten: " + step + " in " + labels);
        for (int i = 1; i < values.size(); i++) {
            assertEquals(0, values.get(i).subtract(values.get(i - 1)).compareTo(step), "equal steps: " + labels);
            assertEquals(0, values.get(i).remainder(step).signum(), "multiples of the step: " + labels);
        }
    }

    /** A label as a number: {@code 0.25}, {@code 1200}, {@code 2.5e-5}. */
    static BigDecimal parse(String label) {
        return new BigDecimal(label.replace("e", "E"));
    }
}
