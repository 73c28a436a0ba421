package dev.stride.hooks.builtin.schedule;

import dev.stride.runner.api.BadInputException;

/**
 * The value an annealing schedule ends at: either absolute ({@code min-lr}) or relative to the
 * group's base value ({@code min-lr-ratio}), exactly one of them, as MMCV asserts.
 *
 * @param min the absolute floor, or null
 * @param ratio the floor as a fraction of the base value, or null
 */
record Floor(Double min, Double ratio) {
    /** Reads {@code min-lr} / {@code min-lr-ratio} (or the momentum names) from the options. */
    static Floor read(ScheduleOptions o) {
        String minKey = o.target().minKey();
        String ratioKey = o.target().minRatioKey();
        boolean hasMin = o.has(minKey);
        boolean hasRatio = o.has(ratioKey);
        if (hasMin && hasRatio) {
            throw new BadInputException(o.where(ratioKey) + "the " + o.target().hookName() + " policy '" + o.policy()
                    + "' takes either " + minKey + " or " + ratioKey + ", not both: remove one");
        }
        if (!hasMin && !hasRatio) {
            throw new BadInputException(o.where("policy") + "the " + o.target().hookName() + " policy '" + o.policy()
                    + "' needs the value it anneals to: set " + minKey + " (absolute) or " + ratioKey
                    + " (a fraction of the initial " + o.target().word() + "), e.g. " + ratioKey + " = 0.01");
        }
        return new Floor(o.optionalNumber(minKey), o.optionalNumber(ratioKey));
    }

    /** The floor for a group whose base value is {@code base}. */
    double target(double base) {
        return ratio != null ? base * ratio : min;
    }
}
