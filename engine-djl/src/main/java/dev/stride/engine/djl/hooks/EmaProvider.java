package dev.stride.engine.djl.hooks;

import com.typesafe.config.Config;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.SpiVersion;

/** Provides {@code ema}; priority 49, just before the checkpoint hook, as MMDetection registers it. */
public final class EmaProvider implements HookProvider {
    @Override
    public String name() {
        return "ema";
    }

    @Override
    public String description() {
        return "exponential moving average of the parameters, saved in checkpoints, optionally used for validation";
    }

    @Override
    public int defaultPriority() {
        return Priority.NORMAL.value() - 1;
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Hook create(Config options) {
        return new EmaHook(options);
    }
}
