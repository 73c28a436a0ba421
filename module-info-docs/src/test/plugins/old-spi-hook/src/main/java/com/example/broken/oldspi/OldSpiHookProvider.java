package com.example.broken.oldspi;

import com.typesafe.config.Config;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.spi.HookProvider;

/** Written for Stride 0.1, where spiVersion() had a default: like most 0.1 plugins, it does not implement it. */
public final class OldSpiHookProvider implements HookProvider {
    @Override
    public String name() {
        return "old-spi-hook";
    }

    @Override
    public Hook create(Config options) {
        return new Hook() {};
    }
}
