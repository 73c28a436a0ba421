package dev.stride.hooks.builtin.schedule;

import dev.stride.hooks.builtin.BuiltinHookProvider;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;

/** Provides {@code momentum-schedule}. (Placeholder: the schedules are being written.) */
public final class MomentumScheduleProvider extends BuiltinHookProvider {
    public MomentumScheduleProvider() {
        super("momentum-schedule", Priority.HIGH, "parameter schedule", options -> new Hook() {});
    }
}
