package com.example.broken.duplicate;

import dev.stride.runner.api.Runner;
import dev.stride.runner.api.spi.RunnerProvider;
import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.runner.api.spi.SpiVersion;

/** Claims the name of the built-in epoch runner. */
public final class AnotherEpochProvider implements RunnerProvider {
    @Override
    public String name() {
        return "epoch";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Runner create(RunnerSettings settings) {
        throw new UnsupportedOperationException();
    }
}
