package dev.stride.runner.iter;

import dev.stride.runner.api.Runner;
import dev.stride.runner.api.spi.RunnerProvider;
import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.runner.api.spi.SpiVersion;

/** Provides the {@code iter} runner. */
public final class IterRunnerProvider implements RunnerProvider {
    @Override
    public String name() {
        return IterBasedRunner.NAME;
    }

    @Override
    public String description() {
        return "iteration-based: workflow counts are iterations, endless loaders, runs until max-iters";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Runner create(RunnerSettings settings) {
        return new IterBasedRunner(settings);
    }
}
