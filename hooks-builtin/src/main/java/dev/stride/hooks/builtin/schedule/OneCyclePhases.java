package dev.stride.hooks.builtin.schedule;

import dev.stride.runner.api.BadInputException;

/**
 * The phase ends of MMCV's one-cycle policies over {@code total} steps: two phases (rise until
 * {@code pct-start}, then fall to the end) or, with {@code three-phase}, rise, fall back
 * symmetrically, then annihilate. The ends are the fractional step numbers MMCV computes.
 */
final class OneCyclePhases {
    private OneCyclePhases() {}

    /** The end step of each phase. */
    static double[] ends(double pctStart, long total, boolean threePhase) {
        if (threePhase) {
            return new double[] {pctStart * total - 1, 2 * pctStart * total - 2, total - 1};
        }
        return new double[] {pctStart * total - 1, total - 1};
    }

    /**
     * Rejects a rising phase of zero steps ({@code pct-start * total == 1}), at whose first step
     * MMCV divides zero by zero.
     */
    static void checkRise(double pctStart, long total, String where, String totalName) {
        if (pctStart * total == 1) {
            throw new BadInputException(where + "pct-start: pct-start = " + pctStart + " of " + totalName + " = " + total
                    + " makes the rising phase 0 steps long (MMCV divides by zero there): choose another pct-start");
        }
    }
}
