package dev.stride.hooks.builtin.schedule;

/**
 * One policy of a schedule hook: the regular (warm-up free) value of a parameter group at a point
 * of the run, MMCV's {@code get_lr} / {@code get_momentum}.
 */
interface Schedule {
    /**
     * Derives what depends on the run's length (cycle phases) and checks the options against it.
     * Called at every before-run.
     *
     * @throws dev.stride.runner.api.BadInputException when the options cannot work with this run
     */
    default void prepare(RunLength run) {}

    /**
     * The values the schedule starts from, one per parameter group, given the groups' initial
     * values (MMCV's {@code initial_lr}, captured at the first before-run or restored from a
     * checkpoint). Most policies start from those; one-cycle starts from its own options.
     */
    default double[] bases(double[] initial) {
        return initial;
    }

    /** The regular value of group {@code group} whose base value is {@code base}, at {@code clock}. */
    double value(Clock clock, double base, int group);
}
