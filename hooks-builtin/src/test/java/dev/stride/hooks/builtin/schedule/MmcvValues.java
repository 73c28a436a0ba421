package dev.stride.hooks.builtin.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Compares what the optimizer used with the values MMCV's tests expect (written in them as
 * {@code call('train', {'learning_rate': ..., 'momentum': ...}, step)}), to 1e-12, and counts them.
 */
final class MmcvValues {
    static final double TOLERANCE = 1e-12;
    static final AtomicInteger CHECKED = new AtomicInteger();
    static final AtomicInteger BIT_EXACT = new AtomicInteger();

    private MmcvValues() {}

    /** Checks the lrs and momenta of every group at MMCV's logged iteration {@code step}. */
    static void at(ScheduleRun.Recorded r, int step, double[] lrs, double[] momenta) {
        for (int g = 0; g < lrs.length; g++) {
            check("lr", step, g, lrs[g], r.lr(step, g));
        }
        for (int g = 0; g < momenta.length; g++) {
            check("momentum", step, g, momenta[g], r.momentum(step, g));
        }
    }

    static void check(String what, int step, int group, double expected, double actual) {
        assertEquals(expected, actual, TOLERANCE, what + " of group " + group + " at iteration " + step);
        CHECKED.incrementAndGet();
        if (expected == actual) {
            BIT_EXACT.incrementAndGet();
        }
    }

    static double[] v(double... values) {
        return values;
    }
}
