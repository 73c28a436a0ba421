/**
 * The built-in, engine-neutral hooks, each a provider selected by name: schedules
 * ({@code lr-schedule}, {@code momentum-schedule}), {@code optimizer}, {@code checkpoint},
 * {@code eval}, the loggers ({@code text-logger}, {@code json-logger}) and {@code iter-timer}.
 * Exports nothing.
 */
module dev.stride.hooks.builtin {
    requires dev.stride.runner.api;

    provides dev.stride.runner.api.spi.HookProvider with
            dev.stride.hooks.builtin.Providers.OptimizerProvider,
            dev.stride.hooks.builtin.Providers.IterTimerProvider,
            dev.stride.hooks.builtin.Providers.TextLoggerProvider,
            dev.stride.hooks.builtin.Providers.JsonLoggerProvider,
            dev.stride.hooks.builtin.Providers.CheckpointProvider,
            dev.stride.hooks.builtin.Providers.EvalProvider,
            dev.stride.hooks.builtin.schedule.LrScheduleProvider,
            dev.stride.hooks.builtin.schedule.MomentumScheduleProvider;
}
