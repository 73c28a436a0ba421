/**
 * Stride's plugin API: what plugin authors compile against, and nothing else.
 *
 * <ul>
 *   <li>{@code dev.stride.runner.api}: what hooks and runners see: {@link dev.stride.runner.api.Hook},
 *       {@link dev.stride.runner.api.Runner}, priorities, workflows, and the engine-neutral views of
 *       models, data and optimizers;
 *   <li>{@code dev.stride.runner.api.spi}: the provider factories Stride finds by name through
 *       {@link java.util.ServiceLoader};
 *   <li>{@code dev.stride.runner.api.support}: the runner base ({@code BaseRunner}) and helpers for
 *       reading provider options;
 *   <li>{@code dev.stride.runner.api.checkpoint}: the checkpoint file format.
 * </ul>
 *
 * <p>This module is engine-neutral (no tensor library) and host-neutral: finding providers, plugin
 * layers, config validation and job planning live in {@code dev.stride.launcher}. Its internals
 * ({@code dev.stride.runner.api.internal}) are exported only to Stride's own modules.
 */
module dev.stride.runner.api {
    requires transitive typesafe.config;
    requires transitive org.slf4j;
    requires static transitive org.apiguardian.api;
    requires static transitive org.jspecify;

    exports dev.stride.runner.api;
    exports dev.stride.runner.api.spi;
    exports dev.stride.runner.api.support;
    exports dev.stride.runner.api.checkpoint;
    exports dev.stride.runner.api.internal to
            dev.stride.launcher,
            dev.stride.app,
            dev.stride.hooks.builtin,
            dev.stride.engine.djl,
            dev.stride.runner.testkit;
}
