/**
 * Stride's command line: {@code train}, {@code test}, {@code list}, {@code inspect}. Reads a HOCON config, finds
 * every runner, hook, model, data set and optimizer by name through {@link java.util.ServiceLoader}
 * (on the module path and in plugin folders loaded as child module layers), builds and runs.
 */
module dev.stride.app {
    requires dev.stride.runner.api;
    requires info.picocli;
    requires jdk.unsupported;
    requires java.desktop;

    // Main and ConfiguredJob (a job built from a config as `stride train` builds it, for launchers)
    exports dev.stride.app;
    opens dev.stride.app to info.picocli;

    uses dev.stride.runner.api.spi.RunnerProvider;
    uses dev.stride.runner.api.spi.HookProvider;
    uses dev.stride.runner.api.spi.ModelProvider;
    uses dev.stride.runner.api.spi.DatasetProvider;
    uses dev.stride.runner.api.spi.OptimizerProvider;
}
