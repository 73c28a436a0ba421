package dev.stride.runner.iter;

import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.runner.api.support.BaseRunner;
import dev.stride.runner.api.support.Settings;

/**
 * MMCV's IterBasedRunner: repeats the workflow, each count an iteration, until {@code max-iters}
 * train iterations are done. Each mode's loader is endless. Hooks see before/after epoch once
 * around the run, and before/after val epoch around each val phase (its averages make one val
 * log line per phase). The walk is {@link BaseRunner#walkIterations}.
 */
final class IterBasedRunner extends BaseRunner {
    static final String NAME = "iter";

    IterBasedRunner(RunnerSettings settings) {
        super(settings, Unit.ITERATIONS);
        setMaxIters(Settings.longIn(settings.options(), "max-iters", 1, Long.MAX_VALUE / 2));
    }

    @Override
    public String name() {
        return NAME;
    }
}
