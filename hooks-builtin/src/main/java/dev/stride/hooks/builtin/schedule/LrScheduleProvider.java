package dev.stride.hooks.builtin.schedule;

import dev.stride.hooks.builtin.BuiltinHookProvider;
import dev.stride.runner.api.Priority;

/**
 * Provides {@code lr-schedule}: MMCV's learning-rate schedules (fixed, step, exp, poly, inv,
 * cosine, flat-cosine, cosine-restart, cyclic, one-cycle, linear) with constant, linear or
 * exponential warm-up, numerically equal to MMCV 1.7's LrUpdaterHook family. Options: see
 * {@code schedules.conf}.
 */
public final class LrScheduleProvider extends BuiltinHookProvider {
    public LrScheduleProvider() {
        super("lr-schedule", Priority.VERY_HIGH, "sets the learning rate by policy (step, cosine, one-cycle ...) with warm-up",
                options -> ScheduleHooks.create(Target.LR, options));
    }
}
