package dev.stride.hooks.builtin.schedule;

import dev.stride.runner.api.BadInputException;
import java.util.Arrays;

/**
 * MMCV's OneCycle learning-rate policy (per iteration only): starts at
 * {@code max-lr / div-factor}, rises to {@code max-lr} over {@code pct-start} of
 * {@code total-steps}, then falls to {@code start / final-div-factor} (with {@code three-phase},
 * falls back to the start first, then annihilates). The optimizer's own lr is not used.
 */
final class OneCycleLrSchedule implements Schedule {
    private final double[] maxLr;
    private final boolean perGroup;
    private final Integer totalSteps;
    private final double pctStart;
    private final Anneal anneal;
    private final double divFactor;
    private final double finalDivFactor;
    private final boolean threePhase;
    private final ScheduleOptions options;
    private double[] ends;
    private double[][] factors;

    private OneCycleLrSchedule(ScheduleOptions o) {
        this.options = o;
        if (!o.has("max-lr")) {
            throw new BadInputException(o.where("policy") + "the lr-schedule policy 'one-cycle' needs 'max-lr': the peak"
                    + " learning rate, e.g. max-lr = 0.01, or a list with one value per parameter group");
        }
        this.perGroup = o.isList("max-lr");
        this.maxLr = o.numbers("max-lr");
        for (double v : maxLr) {
            o.require(v > 0, "max-lr", "expected learning rates above 0, got " + v);
        }
        this.totalSteps = o.has("total-steps") ? o.positiveInt("total-steps") : null;
        this.pctStart = o.number("pct-start", 0.3);
        o.require(pctStart >= 0 && pctStart <= 1, "pct-start",
                "expected the rising part of the cycle as a fraction between 0 and 1, got " + pctStart);
        this.anneal = o.anneal();
        this.divFactor = o.number("div-factor", 25);
        o.require(divFactor > 0, "div-factor", "expected a number above 0, got " + divFactor);
        this.finalDivFactor = o.number("final-div-factor", 1e4);
        o.require(finalDivFactor > 0, "final-div-factor", "expected a number above 0, got " + finalDivFactor);
        this.threePhase = o.flag("three-phase", false);
    }

    static OneCycleLrSchedule read(ScheduleOptions o) {
        return new OneCycleLrSchedule(o);
    }

    @Override
    public void prepare(RunLength run) {
        long total = totalSteps != null ? totalSteps : run.maxIters();
        if (total < run.maxIters()) {
            throw options.bad("total-steps", "total-steps = " + total + " is less than the run's max-iters = "
                    + run.maxIters() + ": set total-steps to at least " + run.maxIters() + ", or remove it to use max-iters");
        }
        PerGroup.check(options, "max-lr", perGroup, maxLr.length, run.groups());
        OneCyclePhases.checkRise(pctStart, total, options.where("pct-start"), totalSteps != null ? "total-steps" : "max-iters");
        ends = OneCyclePhases.ends(pctStart, total, threePhase);
        factors = threePhase
                ? new double[][] {{1, divFactor}, {divFactor, 1}, {1, 1 / finalDivFactor}}
                : new double[][] {{1, divFactor}, {divFactor, 1 / finalDivFactor}};
    }

    @Override
    public double[] bases(double[] initial) {
        double[] out = new double[initial.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = maxLr[perGroup ? i : 0] / divFactor;
        }
        return out;
    }

    @Override
    public double value(Clock clock, double base, int group) {
        long curr = clock.now();
        double start = 0;
        for (int i = 0; i < ends.length; i++) {
            if (curr <= ends[i]) {
                double pct = (curr - start) / (ends[i] - start);
                return anneal.apply(base * factors[i][0], base * factors[i][1], pct);
            }
            start = ends[i];
        }
        throw new IllegalStateException("iteration " + curr + " is past the one-cycle schedule " + Arrays.toString(ends));
    }
}
