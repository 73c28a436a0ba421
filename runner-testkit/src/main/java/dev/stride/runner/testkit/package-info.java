/**
 * Fakes and a recording harness for the tests of Stride plugins: a model, loader and optimizer
 * whose numbers are exact, a {@link dev.stride.runner.testkit.Harness} that runs a hook or a runner
 * on the real runners and records every stage call with its counters, and
 * {@link dev.stride.runner.testkit.ResumeCheck}, which proves that a runner resumes bit for bit.
 * Nothing here is {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package dev.stride.runner.testkit;

import org.jspecify.annotations.NullMarked;
