/**
 * Stride's host: finds runners, hooks, models, data sets and optimizers by name through
 * {@link java.util.ServiceLoader} (on the module path and in plugin folders loaded as child module
 * layers), validates a config against them, plans and builds a job, and prepares its work dir.
 *
 * <p>{@code dev.stride.launcher} is the embedding entry point ({@link dev.stride.launcher.Stride})
 * and what launchers build on ({@link dev.stride.launcher.ConfiguredJob}); the job planning of
 * {@code dev.stride.launcher.job} is shared with the command line only.
 */
module dev.stride.launcher {
    requires transitive dev.stride.runner.api;
    requires jdk.unsupported;

    exports dev.stride.launcher;
    exports dev.stride.launcher.job to dev.stride.app;

    uses dev.stride.runner.api.spi.RunnerProvider;
    uses dev.stride.runner.api.spi.HookProvider;
    uses dev.stride.runner.api.spi.ModelProvider;
    uses dev.stride.runner.api.spi.DatasetProvider;
    uses dev.stride.runner.api.spi.OptimizerProvider;
    // slow set-up started ahead of need by the command line (job.Preloads): the engine's native library
    uses dev.stride.runner.api.internal.Preload;
}
