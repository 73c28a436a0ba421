package com.example.broken.oldapi;

import com.typesafe.config.Config;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.SpiVersion;

/** Fine in itself; its module-info records the runner-api version it was compiled against. */
public final class OldHookProvider implements HookProvider {
    @Override
    public String name() {
        return "old-hook";
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
