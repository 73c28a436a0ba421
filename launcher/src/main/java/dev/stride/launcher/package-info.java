/**
 * Stride's host for embedding programs and launchers: {@link dev.stride.launcher.Stride} builds
 * runners, hooks, models, data loaders and optimizers by name; {@link dev.stride.launcher.ConfiguredJob}
 * builds a whole job from a config as {@code stride train} does; {@link dev.stride.launcher.ProviderRegistry}
 * is what was found. Everything here is {@code EXPERIMENTAL}. Nothing is {@code null} unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.stride.launcher;

import org.jspecify.annotations.NullMarked;
