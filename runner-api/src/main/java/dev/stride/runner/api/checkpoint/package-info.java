/**
 * The checkpoint file format: safetensors files written atomically, their metadata and checks. Nothing here is
 * {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package dev.stride.runner.api.checkpoint;

import org.jspecify.annotations.NullMarked;
