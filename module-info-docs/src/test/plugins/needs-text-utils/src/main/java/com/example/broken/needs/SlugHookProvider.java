package com.example.broken.needs;

import com.example.textutils.Slug;
import com.typesafe.config.Config;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.SpiVersion;

/** Needs com.example.textutils at run time. */
public final class SlugHookProvider implements HookProvider {
    @Override
    public String name() {
        return Slug.of("Slug Hook");
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
