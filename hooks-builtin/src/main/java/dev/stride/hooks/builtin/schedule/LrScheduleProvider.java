package dev.stride.hooks.builtin.schedule;

import dev.stride.hooks.builtin.BuiltinHookProvider;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;

/** Provides {@code lr-schedule}. (Placeholder: the schedules are being written.) */
public final class LrScheduleProvider extends BuiltinHookProvider {
    public LrScheduleProvider() {
        super("lr-schedule", Priority.VERY_HIGH, "parameter schedule", options -> new Hook() {});
    }
}
