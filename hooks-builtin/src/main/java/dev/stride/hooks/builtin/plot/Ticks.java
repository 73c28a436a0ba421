package dev.stride.hooks.builtin.plot;

import java.util.Locale;

/** Round axis ticks (steps of 1, 2 or 5 times a power of ten) and their labels. */
record Ticks(double first, double last, double step) {
    /** About {@code target} ticks covering {@code min..max}, widened to round values. */
    static Ticks covering(double min, double max, int target) {
        double lo = min;
        double hi = max;
        if (!(hi > lo)) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double rough = (hi - lo) / Math.max(1, target);
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double normal = rough / magnitude;
        double step = (normal < 1.5 ? 1 : normal < 3 ? 2 : normal < 7 ? 5 : 10) * magnitude;
        return new Ticks(Math.floor(lo / step) * step, Math.ceil(hi / step) * step, step);
    }

    int count() {
        return (int) Math.round((last - first) / step) + 1;
    }

    double value(int i) {
        return first + i * step;
    }

    /** A label with as many decimals as the step needs; scientific notation for tiny or huge values. */
    String label(double v) {
        double big = Math.max(Math.abs(first), Math.abs(last));
        if (Math.abs(v) < step * 1e-6) {
            return "0";
        }
        if (big < 1e-2 || big >= 1e6) {
            return String.format(Locale.ROOT, "%.1e", v);
        }
        int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
