/**
 * What runner and provider authors build on: {@link dev.stride.runner.api.support.BaseRunner}, the hook
 * {@link dev.stride.runner.api.support.Stage}s and checked option reading ({@link dev.stride.runner.api.support.Settings}).
 * Nothing here is {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package dev.stride.runner.api.support;

import org.jspecify.annotations.NullMarked;
