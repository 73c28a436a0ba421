package dev.stride.runner.epoch;

import dev.stride.runner.api.Runner;
import dev.stride.runner.api.spi.RunnerProvider;
import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.runner.api.spi.SpiVersion;

/** Provides the {@code epoch} runner. */
public final class EpochRunnerProvider implements RunnerProvider {
    @Override
    public String name() {
        return EpochBasedRunner.NAME;
    }

    @Override
    public String description() {
        return "epoch-based: workflow counts are epochs, runs until max-epochs";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Runner create(RunnerSettings settings) {
        return new EpochBasedRunner(settings);
    }
}
