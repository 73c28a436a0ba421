package dev.stride.hooks.builtin.schedule;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.ParamGroup;
import dev.stride.runner.api.Runner;
import java.util.List;

/**
 * Sets the learning rate or the momentum of every parameter group before each train epoch
 * ({@code by-epoch = true}) or iteration, as MMCV's LrUpdaterHook / MomentumUpdaterHook do:
 *
 * <ul>
 *   <li>before-run: the groups' initial values are taken from the optimizer, unless a checkpoint
 *       restored them (a resumed run keeps scheduling from the original values, not from the
 *       already-scheduled ones);
 *   <li>before each train epoch (by epoch): the regular value of the epoch is set;
 *   <li>before each train iteration: per iteration, the regular value, or during the warm-up the
 *       warm-up value; by epoch, the warm-up value during the warm-up, then once the regular one.
 * </ul>
 *
 * <p>The schedule counts the runner's completed epochs or iterations ({@link Runner#epoch()},
 * {@link Runner#iter()}), so it does not depend on how the run got there.
 */
final class ScheduleHook implements Hook {
    private final Target target;
    private final String policy;
    private final Schedule schedule;
    private final boolean byEpoch;
    private final WarmupPlan warmup;

    /** MMCV's initial_lr / initial_momentum of each group; null until before-run or a restore. */
    private double[] initial;
    private double[] base;
    /** {@code lr-schedule} / {@code momentum-schedule}, or the {@code id} the config gives it. */
    private final String name;
    private double[] regular;
    private long warmupIters;

    ScheduleHook(String name, Target target, String policy, Schedule schedule, boolean byEpoch, WarmupPlan warmup) {
        this.name = name;
        this.target = target;
        this.policy = policy;
        this.schedule = schedule;
        this.byEpoch = byEpoch;
        this.warmup = warmup;
    }

    @Override
    public String name() {
        return name;
    }

    /** The policy's name, e.g. {@code cosine}. */
    String policy() {
        return policy;
    }

    @Override
    public void beforeRun(Runner runner) {
        if (byEpoch && !runner.byEpoch()) {
            throw new BadInputException(target.hookName() + " (policy '" + policy + "') has by-epoch = true, but the '"
                    + runner.name() + "' runner does not run epochs, so the schedule would never change: set by-epoch ="
                    + " false to schedule by iteration, or use the epoch runner");
        }
        List<ParamGroup> groups = runner.optimizer().paramGroups();
        if (initial == null) {
            initial = groups.stream().mapToDouble(target::read).toArray();
        } else if (initial.length != groups.size()) {
            throw new BadInputException("the checkpoint holds the initial " + target.word() + " of " + initial.length
                    + " parameter groups, but the optimizer has " + groups.size() + ": resume with the optimizer the"
                    + " checkpoint was written with, or start a new run");
        }
        schedule.prepare(new RunLength(runner.maxEpochs(), runner.maxIters(), groups.size(), byEpoch));
        base = schedule.bases(initial);
        warmupIters = warmup.iters(runner);
        regular = null;
    }

    @Override
    public void beforeTrainEpoch(Runner runner) {
        if (!byEpoch) {
            return;
        }
        regular = regular(runner);
        apply(runner, regular);
    }

    @Override
    public void beforeTrainIter(Runner runner) {
        long cur = runner.iter();
        if (!byEpoch) {
            regular = regular(runner);
            if (warmup.curve() == null || cur >= warmupIters) {
                apply(runner, regular);
            } else {
                apply(runner, warm(cur));
            }
        } else if (warmup.curve() != null && cur <= warmupIters && regular != null) {
            apply(runner, cur == warmupIters ? regular : warm(cur));
        }
    }

    private double[] regular(Runner runner) {
        Clock clock = byEpoch ? new Clock(runner.epoch(), runner.maxEpochs()) : new Clock(runner.iter(), runner.maxIters());
        double[] out = new double[base.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = schedule.value(clock, base[i], i);
        }
        return out;
    }

    private double[] warm(long cur) {
        double factor = warmup.curve().factor(cur, warmupIters, warmup.ratio());
        double[] out = new double[regular.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = target.warm(regular[i], factor);
        }
        return out;
    }

    private void apply(Runner runner, double[] values) {
        List<ParamGroup> groups = runner.optimizer().paramGroups();
        for (int i = 0; i < values.length && i < groups.size(); i++) {
            target.write(groups.get(i), values[i]);
        }
    }

    /** Saves the groups' initial values, so a resumed run schedules from them. */
    @Override
    public void saveState(Checkpoint.Section state) {
        if (initial == null) {
            return;
        }
        state.put("policy", policy);
        state.put("groups", initial.length);
        for (int i = 0; i < initial.length; i++) {
            state.put(target.stateKey() + "." + i, initial[i]);
        }
    }

    /** Restores the initial values; a checkpoint without them leaves the optimizer's values to be taken. */
    @Override
    public void loadState(Checkpoint.Section state) {
        if (!state.has("groups")) {
            return;
        }
        int n = (int) state.getLong("groups", 0);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            String key = target.stateKey() + "." + i;
            if (!state.has(key)) {
                throw new BadInputException("the checkpoint's " + target.hookName() + " state lacks " + key
                        + ": the file is damaged; resume from another checkpoint");
            }
            values[i] = state.getDouble(key, Double.NaN);
        }
        initial = values;
    }
}
