/**
 * Stride's command line: {@link dev.stride.app.Main} runs {@code stride train | test | list |
 * inspect} and returns the exit status. Nothing here is {@code null} unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.stride.app;

import org.jspecify.annotations.NullMarked;
