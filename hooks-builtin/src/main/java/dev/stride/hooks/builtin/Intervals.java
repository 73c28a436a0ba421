package dev.stride.hooks.builtin;

import dev.stride.runner.api.Runner;

/** MMCV's interval helpers, read at an after-stage (the step or epoch in progress counts as done). */
public final class Intervals {
    private Intervals() {}

    /** Whether {@code runner.epoch() + 1} is a multiple of n. */
    public static boolean everyNEpochs(Runner runner, int n) {
        return n > 0 && (runner.epoch() + 1) % n == 0;
    }

    /** Whether {@code runner.iter() + 1} is a multiple of n. */
    public static boolean everyNIters(Runner runner, int n) {
        return n > 0 && (runner.iter() + 1) % n == 0;
    }

    /** Whether {@code runner.innerIter() + 1} is a multiple of n. */
    public static boolean everyNInnerIters(Runner runner, int n) {
        return n > 0 && (runner.innerIter() + 1) % n == 0;
    }

    public static boolean endOfEpoch(Runner runner) {
        return runner.innerIter() + 1 == runner.phaseLength();
    }

    public static boolean lastEpoch(Runner runner) {
        return runner.epoch() + 1 == runner.maxEpochs();
    }

    public static boolean lastIter(Runner runner) {
        return runner.iter() + 1 == runner.maxIters();
    }
}
