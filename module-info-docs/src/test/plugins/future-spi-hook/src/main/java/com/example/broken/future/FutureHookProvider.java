package com.example.broken.future;

import com.typesafe.config.Config;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.SpiVersion;

/** Reports the SPI version it was compiled against: the constant is inlined by javac. */
public final class FutureHookProvider implements HookProvider {
    @Override
    public String name() {
        return "future-hook";
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
