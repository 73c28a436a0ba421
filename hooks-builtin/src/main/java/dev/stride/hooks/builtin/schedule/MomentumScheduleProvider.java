package dev.stride.hooks.builtin.schedule;

import dev.stride.hooks.builtin.BuiltinHookProvider;
import dev.stride.runner.api.Priority;

/**
 * Provides {@code momentum-schedule}: MMCV's momentum schedules (step, cosine, linear, cyclic,
 * one-cycle) with warm-up, numerically equal to MMCV 1.7's MomentumUpdaterHook family. The
 * momentum is SGD's momentum or Adam's beta1. Options: see {@code schedules.conf}.
 */
public final class MomentumScheduleProvider extends BuiltinHookProvider {
    public MomentumScheduleProvider() {
        super("momentum-schedule", Priority.HIGH, "sets the momentum by policy (step, cosine, cyclic ...) with warm-up",
                options -> ScheduleHooks.create(Target.MOMENTUM, options));
    }
}
