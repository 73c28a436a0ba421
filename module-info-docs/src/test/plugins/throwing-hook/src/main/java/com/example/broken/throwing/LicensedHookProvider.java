package com.example.broken.throwing;

import com.typesafe.config.Config;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.SpiVersion;

/** Its constructor throws, as a provider that checks its environment too early does. */
public final class LicensedHookProvider implements HookProvider {
    public LicensedHookProvider() {
        throw new IllegalStateException("the environment variable METRICS_LICENSE_KEY is not set");
    }

    @Override
    public String name() {
        return "licensed";
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
