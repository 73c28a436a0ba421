package com.example.hello;

import com.typesafe.config.Config;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.SpiVersion;

/** A good hook; only the name of its jar file is wrong. */
public final class HelloHookProvider implements HookProvider {
    @Override
    public String name() {
        return "hello";
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
