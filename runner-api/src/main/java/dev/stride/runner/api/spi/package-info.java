/**
 * The provider factories Stride finds by name through {@link java.util.ServiceLoader}: runners, hooks, models,
 * data sets and optimizers. Nothing here is {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package dev.stride.runner.api.spi;

import org.jspecify.annotations.NullMarked;
