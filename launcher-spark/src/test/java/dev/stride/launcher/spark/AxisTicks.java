package dev.stride.launcher.spark;

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
 * The tick labels XChart drew on a chart's axis, read by reflection (XChart 3.8.8 has no public
 * way to ask; tests run on the class path); the chart must have been painted. As hooks-builtin's
 * test of the plot hook's charts does.
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

    /** At least {@code min} distinct labels, equally spaced by 1, 2 or 5 times a power of ten, multiples of that step. */
    static void assertRound(List<String> labels, int min) {
        assertTrue(labels.size() >= min, "at least " + min + " ticks: " + labels);
        assertEquals(labels.size(), new HashSet<>(labels).size(), "distinct labels: " + labels);
        List<BigDecimal> values = labels.stream().map(l -> new BigDecimal(l.replace("e", "E"))).toList();
        BigDecimal step = values.get(1).subtract(values.get(0));
        BigDecimal mantissa = new BigDecimal(step.stripTrailingZeros().unscaledValue().abs());
        assertTrue(List.of(BigDecimal.ONE, BigDecimal.valueOf(2), BigDecimal.valueOf(5)).contains(mantissa),
                "a step of 1, 2 or 5 times a power of ten: " + step + " in " + labels);
        for (int i = 1; i < values.size(); i++) {
            assertEquals(0, values.get(i).subtract(values.get(i - 1)).compareTo(step), "equal steps: " + labels);
            assertEquals(0, values.get(i).remainder(step).signum(), "multiples of the step: " + labels);
        }
    }
}
