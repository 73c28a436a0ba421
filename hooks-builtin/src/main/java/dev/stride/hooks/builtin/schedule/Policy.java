package dev.stride.hooks.builtin.schedule;

import java.util.List;
import java.util.function.Function;

/**
 * A named policy of a schedule hook: the options it takes besides the common ones, whether it
 * only works per iteration (MMCV asserts {@code by_epoch = False} for cyclic and one-cycle), and
 * how it is built from the options.
 *
 * @param name the value of {@code policy}, e.g. {@code cosine}
 * @param options the policy's own option names
 * @param perIteration true when the policy requires {@code by-epoch = false} (and defaults to it)
 * @param build reads the options and builds the schedule; throws BadInputException on bad values
 */
record Policy(String name, List<String> options, boolean perIteration, Function<ScheduleOptions, Schedule> build) {
    Policy {
        options = List.copyOf(options);
    }

    static Policy of(String name, Function<ScheduleOptions, Schedule> build, String... options) {
        return new Policy(name, List.of(options), false, build);
    }

    static Policy perIteration(String name, Function<ScheduleOptions, Schedule> build, String... options) {
        return new Policy(name, List.of(options), true, build);
    }
}
