package dev.stride.hooks.builtin.schedule;

/**
 * Where the run is, in the unit a schedule counts: completed epochs out of max-epochs
 * ({@code by-epoch = true}) or completed iterations out of max-iters.
 *
 * @param now completed epochs or iterations (MMCV's {@code runner.epoch} / {@code runner.iter})
 * @param max max-epochs or max-iters
 */
record Clock(long now, long max) {
    /** {@code now / max} as a double, as Python's true division computes it. */
    double fraction() {
        return (double) now / max;
    }
}
