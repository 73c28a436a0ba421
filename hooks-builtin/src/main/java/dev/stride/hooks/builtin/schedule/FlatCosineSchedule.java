package dev.stride.hooks.builtin.schedule;

/**
 * MMCV's FlatCosineAnnealing policy: the base value until {@code start-percent} of the run, then a
 * cosine down to the floor. The start is rounded half to even, as Python's {@code round} does.
 */
record FlatCosineSchedule(double startPercent, Floor floor) implements Schedule {
    /** Reads {@code start-percent} (default 0.75, in 0..1) and the floor. */
    static FlatCosineSchedule read(ScheduleOptions o) {
        double start = o.number("start-percent", 0.75);
        o.require(start >= 0 && start <= 1, "start-percent",
                "expected a fraction of the run between 0 and 1, got " + start);
        return new FlatCosineSchedule(start, Floor.read(o));
    }

    @Override
    public double value(Clock clock, double base, int group) {
        long start = (long) Math.rint(clock.max() * startPercent);
        long progress = clock.now() - start;
        long maxProgress = clock.max() - start;
        double target = floor.target(base);
        if (progress < 0) {
            return base;
        }
        return Anneal.COS.apply(base, target, (double) progress / maxProgress);
    }
}
