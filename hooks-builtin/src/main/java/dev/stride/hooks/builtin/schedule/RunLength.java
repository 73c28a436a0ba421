package dev.stride.hooks.builtin.schedule;

/**
 * What a schedule learns about the run at before-run, to derive its phases and check its options
 * against the run.
 *
 * @param maxEpochs the runner's max-epochs
 * @param maxIters the runner's max-iters
 * @param groups the optimizer's parameter groups
 * @param byEpoch whether the schedule counts epochs
 */
record RunLength(long maxEpochs, long maxIters, int groups, boolean byEpoch) {
    /** max-epochs or max-iters, in the schedule's unit. */
    long length() {
        return byEpoch ? maxEpochs : maxIters;
    }

    /** {@code "max-epochs = N"} or {@code "max-iters = N"}, for messages. */
    String describe() {
        return byEpoch ? "max-epochs = " + maxEpochs : "max-iters = " + maxIters;
    }
}
