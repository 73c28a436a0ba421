/**
 * What hooks and runners see: {@link dev.stride.runner.api.Hook}, {@link dev.stride.runner.api.Runner}, priorities,
 * workflows, and the engine-neutral views of models, data and optimizers. Nothing here is {@code null} unless
 * marked {@code @Nullable}.
 */
@NullMarked
package dev.stride.runner.api;

import org.jspecify.annotations.NullMarked;
