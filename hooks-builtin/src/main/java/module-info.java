/**
 * The built-in, engine-neutral hooks, each a provider selected by name: schedules
 * ({@code lr-schedule}, {@code momentum-schedule}), {@code optimizer}, {@code checkpoint},
 * {@code eval}, {@code early-stopping}, {@code invalid-loss}, the loggers ({@code text-logger},
 * {@code json-logger}, {@code tensorboard}), {@code iter-timer}, {@code progress}, {@code memory},
 * {@code plot} and {@code profile}. Exports nothing. Needs XChart (an automatic module) and
 * {@code java.desktop} for the PNG of {@code plot} (drawn headless).
 */
module dev.stride.hooks.builtin {
    requires dev.stride.runner.api;
    requires java.desktop;
    requires me.tongfei.progressbar;
    requires org.jline.terminal;
    requires org.knowm.xchart;

    provides dev.stride.runner.api.spi.HookProvider with
            dev.stride.hooks.builtin.Providers.OptimizerProvider,
            dev.stride.hooks.builtin.Providers.IterTimerProvider,
            dev.stride.hooks.builtin.Providers.TextLoggerProvider,
            dev.stride.hooks.builtin.Providers.JsonLoggerProvider,
            dev.stride.hooks.builtin.Providers.CheckpointProvider,
            dev.stride.hooks.builtin.Providers.EvalProvider,
            dev.stride.hooks.builtin.Providers.EarlyStoppingProvider,
            dev.stride.hooks.builtin.Providers.InvalidLossProvider,
            dev.stride.hooks.builtin.Providers.ProgressProvider,
            dev.stride.hooks.builtin.Providers.MemoryProvider,
            dev.stride.hooks.builtin.Providers.TensorboardProvider,
            dev.stride.hooks.builtin.Providers.PlotProvider,
            dev.stride.hooks.builtin.Providers.ProfileProvider,
            dev.stride.hooks.builtin.schedule.LrScheduleProvider,
            dev.stride.hooks.builtin.schedule.MomentumScheduleProvider;
}
