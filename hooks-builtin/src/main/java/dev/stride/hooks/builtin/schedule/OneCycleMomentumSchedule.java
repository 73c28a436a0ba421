package dev.stride.hooks.builtin.schedule;

/**
 * MMCV's OneCycle momentum policy (per iteration only), the mirror of the one-cycle lr: from
 * {@code max-momentum} down to {@code base-momentum} while the lr rises, then back up (with
 * {@code three-phase}, up again and then flat). Its phases span max-iters.
 */
final class OneCycleMomentumSchedule implements Schedule {
    private final double[] low;
    private final double[] high;
    private final boolean lowPerGroup;
    private final boolean highPerGroup;
    private final double pctStart;
    private final Anneal anneal;
    private final boolean threePhase;
    private final ScheduleOptions options;
    private double[] ends;
    /** For each phase, whether it starts / ends at the high momentum. */
    private boolean[][] atHigh;

    private OneCycleMomentumSchedule(ScheduleOptions o) {
        this.options = o;
        this.lowPerGroup = o.isList("base-momentum");
        this.low = o.has("base-momentum") ? o.numbers("base-momentum") : new double[] {0.85};
        this.highPerGroup = o.isList("max-momentum");
        this.high = o.has("max-momentum") ? o.numbers("max-momentum") : new double[] {0.95};
        this.pctStart = o.number("pct-start", 0.3);
        o.require(pctStart >= 0 && pctStart <= 1, "pct-start",
                "expected the rising part of the cycle as a fraction between 0 and 1, got " + pctStart);
        this.anneal = o.anneal();
        this.threePhase = o.flag("three-phase", false);
    }

    static OneCycleMomentumSchedule read(ScheduleOptions o) {
        return new OneCycleMomentumSchedule(o);
    }

    @Override
    public void prepare(RunLength run) {
        PerGroup.check(options, "base-momentum", lowPerGroup, low.length, run.groups());
        PerGroup.check(options, "max-momentum", highPerGroup, high.length, run.groups());
        OneCyclePhases.checkRise(pctStart, run.maxIters(), options.where("pct-start"), "max-iters");
        ends = OneCyclePhases.ends(pctStart, run.maxIters(), threePhase);
        atHigh = threePhase
                ? new boolean[][] {{true, false}, {false, true}, {true, true}}
                : new boolean[][] {{true, false}, {false, true}};
    }

    @Override
    public double[] bases(double[] initial) {
        double[] out = new double[initial.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = high[highPerGroup ? i : 0];
        }
        return out;
    }

    @Override
    public double value(Clock clock, double base, int group) {
        long curr = clock.now();
        double start = 0;
        int last = ends.length - 1;
        for (int i = 0; i <= last; i++) {
            if (curr <= ends[i] || i == last) {
                double pct = (curr - start) / (ends[i] - start);
                return anneal.apply(pick(atHigh[i][0], group), pick(atHigh[i][1], group), pct);
            }
            start = ends[i];
        }
        throw new IllegalStateException("unreachable: the last phase always applies");
    }

    private double pick(boolean isHigh, int group) {
        return isHigh ? high[highPerGroup ? group : 0] : low[lowPerGroup ? group : 0];
    }
}
