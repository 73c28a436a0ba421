package dev.stride.hooks.builtin.schedule;

/** Checks an option that is one number for every parameter group, or a list with one per group. */
final class PerGroup {
    private PerGroup() {}

    /** MMCV's {@code format_param}: a list must have exactly one value per parameter group. */
    static void check(ScheduleOptions o, String key, boolean isList, int values, int groups) {
        o.require(!isList || values == groups, key, "the optimizer has " + groups + " parameter group"
                + (groups == 1 ? "" : "s") + " but " + key + " lists " + values + " value" + (values == 1 ? "" : "s")
                + ": give one value per group, or a single number for all");
    }
}
