/**
 * Any DJL model and data set as a Stride model and data loader: wrap a {@code Block} with its
 * input shape, loss and metrics, or a {@code RandomAccessDataset}, and train it with Stride's
 * runners, hooks, optimizers and checkpoints. Nothing here is {@code null} unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.stride.engine.djl;

import org.jspecify.annotations.NullMarked;
