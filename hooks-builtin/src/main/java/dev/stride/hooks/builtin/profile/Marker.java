package dev.stride.hooks.builtin.profile;

import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.support.Stage;

/** A hook called at every stage, only to note the time: the profiler's points of measurement. */
abstract class Marker implements Hook {
    abstract void mark(Runner runner, Stage stage);

    @Override
    public final void beforeRun(Runner runner) {
        mark(runner, Stage.BEFORE_RUN);
    }

    @Override
    public final void afterRun(Runner runner) {
        mark(runner, Stage.AFTER_RUN);
    }

    @Override
    public final void beforeEpoch(Runner runner) {
        mark(runner, Stage.BEFORE_EPOCH);
    }

    @Override
    public final void afterEpoch(Runner runner) {
        mark(runner, Stage.AFTER_EPOCH);
    }

    @Override
    public final void beforeTrainEpoch(Runner runner) {
        mark(runner, Stage.BEFORE_TRAIN_EPOCH);
    }

    @Override
    public final void afterTrainEpoch(Runner runner) {
        mark(runner, Stage.AFTER_TRAIN_EPOCH);
    }

    @Override
    public final void beforeValEpoch(Runner runner) {
        mark(runner, Stage.BEFORE_VAL_EPOCH);
    }

    @Override
    public final void afterValEpoch(Runner runner) {
        mark(runner, Stage.AFTER_VAL_EPOCH);
    }

    @Override
    public final void beforeTrainIter(Runner runner) {
        mark(runner, Stage.BEFORE_TRAIN_ITER);
    }

    @Override
    public final void afterTrainIter(Runner runner) {
        mark(runner, Stage.AFTER_TRAIN_ITER);
    }

    @Override
    public final void beforeValIter(Runner runner) {
        mark(runner, Stage.BEFORE_VAL_ITER);
    }

    @Override
    public final void afterValIter(Runner runner) {
        mark(runner, Stage.AFTER_VAL_ITER);
    }
}
