package dev.stride.runner.api.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * The range a chart's axis shows, and its tick labels, for Stride's pictures drawn with XChart
 * (the plot hook's curves, the sweep chart): XChart computes round ticks inside the range, and
 * this choice of range keeps them round and distinct. Plain numbers, no chart library.
 *
 * @param lo the axis' lowest value
 * @param hi its highest
 */
@API(status = API.Status.INTERNAL, since = "0.2")
public record AxisRange(double lo, double hi) {
    /** The margins below and above the values that {@link #of} tries, in order. */
    private static final double[][] MARGINS = {{0.05, 0.05}, {0.05, 0.08}, {0.08, 0.05}, {0.03, 0.06}};

    /**
     * The range for these values: theirs, 5 % wider on each side (matplotlib's margins). A single
     * value (one point, a flat line) takes {@linkplain #around the round numbers around it}
     * instead of its own range, so that its ticks are distinct round numbers.
     *
     * <p>XChart 3.8.8 puts the ticks at the data's own values, not at round numbers, when those
     * values and the axis' ends are equally spaced (knowm/XChart#731: iterations 1 to 1000 get the
     * ticks 1, 37, 73, ...; a point in the middle of its axis gets a single tick); the margins are
     * then changed until they are not.
     *
     * @param charts for each chart that shows this range, its values on the axis in the order
     *     XChart meets them (series after series); non-finite values are left out
     */
    public static AxisRange of(List<double[]> charts) {
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
            return new AxisRange(0, 1);
        }
        if (max - min <= 1e-9 * Math.max(Math.abs(min), Math.abs(max))) {
            AxisRange round = around(min);
            min = round.lo;
            max = round.hi;
        }
        AxisRange r = null;
        for (double[] margin : MARGINS) {
            r = new AxisRange(min - margin[0] * (max - min), max + margin[1] * (max - min));
            if (!r.equallySpacedWith(charts)) {
                return r;
            }
        }
        return r;
    }

    /** {@link #of(List)} for one chart. */
    public static AxisRange of(double[] values) {
        return of(List.of(values));
    }

    /**
     * The round numbers around a value: the multiples of its leading digit's power of ten just
     * below and above it (100 and 200 for 125, 0.6 and 0.7 for 0.6931), or one such step either
     * side when it is one (0 and 0.2 for 0.1; -1 and 1 for 0).
     */
    public static AxisRange around(double v) {
        if (v == 0) {
            return new AxisRange(-1, 1);
        }
        BigDecimal b = BigDecimal.valueOf(v);
        BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(b.precision() - b.scale() - 1);
        BigDecimal lo = b.divide(unit).setScale(0, RoundingMode.FLOOR).multiply(unit);
        BigDecimal hi = b.divide(unit).setScale(0, RoundingMode.CEILING).multiply(unit);
        if (lo.compareTo(hi) == 0) {
            lo = lo.subtract(unit);
            hi = hi.add(unit);
        }
        return new AxisRange(lo.doubleValue(), hi.doubleValue());
    }

    /**
     * Tick labels for this range, with as many digits as its span needs: plain decimals
     * ({@code 0.25}, {@code 1200}), or scientific notation ({@code 2.5e-5}) when the values are
     * below 0.01 or reach a million; {@code 0} for zero.
     */
    public Function<Double, String> labels() {
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
                return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
            }
            BigDecimal d = BigDecimal.valueOf(v).round(new MathContext(digits)).stripTrailingZeros();
            int exponent = d.precision() - d.scale() - 1;
            return d.movePointLeft(exponent).toPlainString() + "e" + exponent;
        };
    }

    /**
     * Whether XChart 3.8.8 would take the values of one of the charts, with this range's ends, as
     * equally spaced (its {@code AxisTickCalculator_}: the axis' minimum, the values in order, the
     * maximum, without repeats, each 0.0001 or less from the first step).
     */
    public boolean equallySpacedWith(List<double[]> charts) {
        for (double[] values : charts) {
            LinkedHashSet<Double> set = new LinkedHashSet<>();
            set.add(lo);
            for (double v : values) {
                set.add(v);
            }
            set.add(hi);
            List<Double> list = new ArrayList<>(set);
            boolean equal = list.size() >= 2 && 0.0001 <= Math.abs(hi - lo);
            for (int i = 1; i < list.size() && equal; i++) {
                equal = Math.abs(list.get(i) - list.get(i - 1) - (list.get(1) - list.get(0))) < 0.0001;
            }
            if (equal) {
                return true;
            }
        }
        return false;
    }
}
