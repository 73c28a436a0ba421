package com.example.broken.duplicate;

import dev.stride.runner.api.Runner;
import dev.stride.runner.api.spi.RunnerProvider;
import dev.stride.runner.api.spi.RunnerSettings;

/** Claims the name of the built-in epoch runner. */
public final class AnotherEpochProvider implements RunnerProvider {
    @Override
    public String name() {
        return "epoch";
    }

    @Override
    public Runner create(RunnerSettings settings) {
        throw new UnsupportedOperationException();
    }
}
