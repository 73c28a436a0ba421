package dev.stride.runner.epoch;

import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.runner.api.support.BaseRunner;
import dev.stride.runner.api.support.Settings;

/**
 * MMCV's EpochBasedRunner: repeats the workflow, each count an epoch, until {@code max-epochs}
 * train epochs are done. Only train epochs advance {@code epoch}; once it reaches max-epochs a
 * train phase stops early, but val phases still run in their turn. The walk is
 * {@link BaseRunner#walkEpochs}.
 */
final class EpochBasedRunner extends BaseRunner {
    static final String NAME = "epoch";

    EpochBasedRunner(RunnerSettings settings) {
        super(settings, Unit.EPOCHS);
        setMaxEpochs(Settings.intIn(settings.options(), "max-epochs", 1, 1_000_000));
    }

    @Override
    public String name() {
        return NAME;
    }
}
