package dev.stride.hooks.builtin.schedule;

import dev.stride.runner.api.BadInputException;

/**
 * MMCV's step policy: the base value times {@code gamma} to the number of steps passed, clipped
 * below at {@code min-lr} / {@code min-momentum} when that is set. {@code step} is either an
 * interval (decay every N epochs or iterations) or a list of milestones.
 */
final class StepSchedule implements Schedule {
    private final int interval;
    private final int[] milestones;
    private final double gamma;
    private final Double min;

    private StepSchedule(int interval, int[] milestones, double gamma, Double min) {
        this.interval = interval;
        this.milestones = milestones;
        this.gamma = gamma;
        this.min = min;
    }

    /** Reads {@code step}, {@code gamma} (default {@code defaultGamma}) and the optional floor. */
    static StepSchedule read(ScheduleOptions o, double defaultGamma) {
        if (!o.has("step")) {
            throw new BadInputException(o.where("policy") + "the " + o.target().hookName()
                    + " policy 'step' needs 'step': the epochs (or iterations) to decay at, e.g. step = [8, 11],"
                    + " or an interval, e.g. step = 30");
        }
        double gamma = o.number("gamma", defaultGamma);
        Double min = o.optionalNumber(o.target().minKey());
        if (o.isList("step")) {
            return new StepSchedule(0, o.positiveInts("step"), gamma, min);
        }
        return new StepSchedule(o.positiveInt("step"), null, gamma, min);
    }

    @Override
    public double value(Clock clock, double base, int group) {
        long progress = clock.now();
        long exp;
        if (milestones == null) {
            exp = progress / interval;
        } else {
            exp = milestones.length;
            for (int i = 0; i < milestones.length; i++) {
                if (progress < milestones[i]) {
                    exp = i;
                    break;
                }
            }
        }
        double v = base * Math.pow(gamma, exp);
        return min == null ? v : Math.max(v, min);
    }
}
