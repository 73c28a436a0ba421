package com.example.broken.noarg;

import com.typesafe.config.Config;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.SpiVersion;

/** Has no public no-argument constructor, so ServiceLoader cannot create it. */
public final class ConfiguredHookProvider implements HookProvider {
    private final String name;

    public ConfiguredHookProvider(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Hook create(Config options) {
        return new Hook() {};
    }
}
