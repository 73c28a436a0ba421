package dev.stride.hooks.builtin.schedule;

import dev.stride.runner.api.BadInputException;
import java.util.Arrays;

/**
 * MMCV's CosineRestart policy: a cosine from the base value to the floor in each of the
 * {@code periods}, restarting at {@code weight * base + (1 - weight) * floor} with the period's
 * restart weight. The periods must cover the whole run.
 */
final class CosineRestartSchedule implements Schedule {
    private final int[] periods;
    private final double[] weights;
    private final long[] ends;
    private final Floor floor;
    private final String where;

    private CosineRestartSchedule(int[] periods, double[] weights, Floor floor, String where) {
        this.periods = periods;
        this.weights = weights;
        this.floor = floor;
        this.where = where;
        this.ends = new long[periods.length];
        long sum = 0;
        for (int i = 0; i < periods.length; i++) {
            sum += periods[i];
            ends[i] = sum;
        }
    }

    /** Reads {@code periods}, {@code restart-weights} (default [1]) and the floor. */
    static CosineRestartSchedule read(ScheduleOptions o) {
        if (!o.has("periods")) {
            throw new BadInputException(o.where("policy") + "the " + o.target().hookName()
                    + " policy 'cosine-restart' needs 'periods': the length of each cycle in epochs (or iterations),"
                    + " adding up to the run's length, e.g. periods = [5, 5] with restart-weights = [1, 0.5]");
        }
        int[] periods = o.positiveInts("periods");
        o.require(periods.length > 0, "periods", "give at least one period, e.g. periods = [10]");
        double[] weights = o.has("restart-weights") ? o.numbers("restart-weights") : new double[] {1};
        if (weights.length != periods.length) {
            String example = "restart-weights = " + Arrays.toString(ones(periods.length));
            throw new BadInputException(o.has("restart-weights")
                    ? o.where("restart-weights") + "restart-weights: " + weights.length + (weights.length == 1 ? " weight " : " weights ")
                            + Arrays.toString(weights) + " for " + periods.length + " periods " + Arrays.toString(periods)
                            + ": give one weight per period, e.g. " + example
                    : o.where("periods") + "restart-weights: " + periods.length + " periods " + Arrays.toString(periods)
                            + " need one restart weight each, and restart-weights defaults to [1] (as in MMCV): set e.g. "
                            + example);
        }
        return new CosineRestartSchedule(periods, weights, Floor.read(o), o.where("periods"));
    }

    private static String[] ones(int n) {
        String[] out = new String[n];
        Arrays.fill(out, "1");
        return out;
    }

    @Override
    public void prepare(RunLength run) {
        long covered = ends[ends.length - 1];
        if (covered < run.length()) {
            throw new BadInputException(where + "periods: the cosine-restart periods " + Arrays.toString(periods)
                    + " add up to " + covered + " " + (run.byEpoch() ? "epochs" : "iterations") + ", but the run has "
                    + run.describe() + ": make them add up to at least " + run.length()
                    + " (MMCV stops with an error once the periods run out)");
        }
    }

    @Override
    public double value(Clock clock, double base, int group) {
        long progress = clock.now();
        int idx = 0;
        while (idx < ends.length && progress >= ends[idx]) {
            idx++;
        }
        if (idx == ends.length) {
            throw new IllegalStateException("progress " + progress + " is past the cosine-restart periods "
                    + Arrays.toString(periods));
        }
        long restart = idx == 0 ? 0 : ends[idx - 1];
        double alpha = Math.min((double) (progress - restart) / periods[idx], 1);
        return Anneal.cos(base, floor.target(base), alpha, weights[idx]);
    }
}
