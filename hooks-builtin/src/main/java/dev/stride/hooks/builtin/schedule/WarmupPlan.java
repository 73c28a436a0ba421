package dev.stride.hooks.builtin.schedule;

import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Runner;

/**
 * The warm-up of a schedule hook: its curve, its length in iterations (or in epochs with
 * {@code warmup-by-epoch}, turned into iterations from the train loader's batches per epoch) and
 * the ratio it starts at.
 *
 * @param curve the warm-up curve, or null for none
 * @param length {@code warmup-iters}: iterations, or epochs when {@code byEpoch}
 * @param ratio {@code warmup-ratio}, in (0, 1]
 * @param byEpoch {@code warmup-by-epoch}
 */
record WarmupPlan(Warmup curve, long length, double ratio, boolean byEpoch) {
    /** The warm-up length in iterations for this run. */
    long iters(Runner runner) {
        return byEpoch ? length * runner.loader(Mode.TRAIN).batchesPerEpoch() : length;
    }
}
