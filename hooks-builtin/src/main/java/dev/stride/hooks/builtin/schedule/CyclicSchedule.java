package dev.stride.hooks.builtin.schedule;

import dev.stride.runner.api.BadInputException;
import java.util.Arrays;

/**
 * MMCV's Cyclic policy (per iteration only): the run is cut into {@code cyclic-times} cycles; in
 * each the value goes from the base value to {@code target-ratio[0]} times it over the first
 * {@code step-ratio-up} of the cycle, then to {@code target-ratio[1]} times it. With
 * {@code gamma < 1} the swing shrinks by {@code gamma} each cycle.
 */
final class CyclicSchedule implements Schedule {
    private final double high;
    private final double low;
    private final int cyclicTimes;
    private final double stepRatioUp;
    private final Anneal anneal;
    private final double gamma;
    private final String where;
    private long perCycle;
    private long up;

    private CyclicSchedule(double[] ratio, int cyclicTimes, double stepRatioUp, Anneal anneal, double gamma,
            String where) {
        this.high = ratio[0];
        this.low = ratio[1];
        this.cyclicTimes = cyclicTimes;
        this.stepRatioUp = stepRatioUp;
        this.anneal = anneal;
        this.gamma = gamma;
        this.where = where;
    }

    /**
     * Reads the options. A single {@code target-ratio} r (or a list of one) means
     * {@code [r, r / 1e5]}, as in MMCV.
     */
    static CyclicSchedule read(ScheduleOptions o, double[] defaultRatio) {
        double[] ratio = defaultRatio;
        if (o.has("target-ratio")) {
            double[] given = o.numbers("target-ratio");
            o.require(given.length == 1 || given.length == 2, "target-ratio", "expected a number or a list of two"
                    + " numbers [peak, end] relative to the initial " + o.target().word() + ", got "
                    + Arrays.toString(given));
            ratio = given.length == 1 ? new double[] {given[0], given[0] / 1e5} : given;
        }
        int cyclicTimes = o.positiveInt("cyclic-times", 1);
        double stepRatioUp = o.number("step-ratio-up", 0.4);
        o.require(stepRatioUp >= 0 && stepRatioUp < 1, "step-ratio-up",
                "expected the rising part of a cycle as a fraction in [0, 1), got " + stepRatioUp);
        Anneal anneal = o.anneal();
        double gamma = o.number("gamma", 1);
        o.require(gamma > 0 && gamma <= 1, "gamma", "expected the cycle decay in (0, 1], got " + gamma);
        return new CyclicSchedule(ratio, cyclicTimes, stepRatioUp, anneal, gamma, o.where("cyclic-times"));
    }

    @Override
    public void prepare(RunLength run) {
        perCycle = run.maxIters() / cyclicTimes;
        if (perCycle < 1) {
            throw new BadInputException(where + "cyclic-times: " + cyclicTimes + " cycles do not fit in max-iters = "
                    + run.maxIters() + ": use at most " + run.maxIters() + " cycles");
        }
        up = (long) (stepRatioUp * perCycle);
    }

    @Override
    public double value(Clock clock, double base, int group) {
        long curr = clock.now() % perCycle;
        long cycle = clock.now() / perCycle;
        double scale = Math.pow(gamma, cycle);
        long start;
        long end;
        double startRatio;
        double endRatio;
        if (curr < up) {
            start = 0;
            end = up;
            startRatio = 1;
            endRatio = high;
        } else {
            start = up;
            end = perCycle;
            startRatio = high;
            endRatio = low;
        }
        // MMCV scales the ratio that meets the base value: the end of a phase starting at 0, else its start.
        if (start == 0) {
            endRatio = 1 - scale + endRatio * scale;
        } else {
            startRatio = 1 - scale + startRatio * scale;
        }
        long progress = curr - start;
        return anneal.apply(base * startRatio, base * endRatio, (double) progress / (end - start));
    }
}
