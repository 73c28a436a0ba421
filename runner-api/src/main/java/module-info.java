/**
 * Stride's runner API: what hooks and runners see ({@code dev.stride.runner.api}), the provider
 * factories found by {@link java.util.ServiceLoader} ({@code dev.stride.runner.api.spi}), the
 * shared runner machinery for runner authors ({@code dev.stride.runner.api.support}) and the
 * checkpoint file format ({@code dev.stride.runner.api.checkpoint}).
 *
 * <p>This module is engine-neutral: it knows nothing of DJL or any tensor library.
 */
module dev.stride.runner.api {
    requires transitive typesafe.config;
    requires transitive org.slf4j;
    requires static transitive org.apiguardian.api;

    exports dev.stride.runner.api;
    exports dev.stride.runner.api.spi;
    exports dev.stride.runner.api.support;
    exports dev.stride.runner.api.checkpoint;

    uses dev.stride.runner.api.spi.RunnerProvider;
    uses dev.stride.runner.api.spi.HookProvider;
    uses dev.stride.runner.api.spi.ModelProvider;
    uses dev.stride.runner.api.spi.DatasetProvider;
    uses dev.stride.runner.api.spi.OptimizerProvider;
}
