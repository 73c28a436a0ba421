package dev.stride.bench;

import java.util.Arrays;
import java.util.Locale;

/** Prints figures as {@code name: value} lines and takes medians of rounds. */
public final class Figures {
    private Figures() {}

    /** The median of {@code values} (the mean of the middle two for an even count). */
    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static void print(String name, double value, String unit) {
        System.out.println(String.format(Locale.ROOT, "%s: %.4g%s", name, value, unit.isEmpty() ? "" : " " + unit));
    }

    static void print(String name, String value) {
        System.out.println(name + ": " + value);
    }

    static String rounds(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", v[i]));
        }
        return sb.append(']').toString();
    }
}
