package com.example.stride.curriculum;

import dev.stride.runner.api.Runner;
import dev.stride.runner.api.spi.RunnerProvider;
import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.runner.api.spi.SpiVersion;

/**
 * Provides the {@code curriculum} runner. This jar has no module-info: its
 * META-INF/services entry is how Stride finds the provider, on the module path (as an automatic
 * module) and on the class path.
 */
public final class CurriculumRunnerProvider implements RunnerProvider {
    @Override
    public String name() {
        return CurriculumRunner.NAME;
    }

    @Override
    public String description() {
        return "epoch-based; early train epochs use a growing leading part of the train batches";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Runner create(RunnerSettings settings) {
        return new CurriculumRunner(settings);
    }
}
