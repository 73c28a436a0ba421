package dev.stride.hooks.builtin.schedule;

/**
 * MMCV's CosineAnnealing and LinearAnnealing policies: from the base value to the floor over the
 * whole run, along a half cosine or a straight line.
 */
record AnnealSchedule(Anneal anneal, Floor floor) implements Schedule {
    @Override
    public double value(Clock clock, double base, int group) {
        return anneal.apply(base, floor.target(base), clock.fraction());
    }
}
