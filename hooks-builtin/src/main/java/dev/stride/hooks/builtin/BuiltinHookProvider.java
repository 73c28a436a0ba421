package dev.stride.hooks.builtin;

import com.typesafe.config.Config;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.SpiVersion;
import java.util.function.Function;

/** A hook provider defined by its name, default priority, description and constructor. */
public abstract class BuiltinHookProvider implements HookProvider {
    private final String name;
    private final Priority priority;
    private final String description;
    private final Function<Config, Hook> factory;

    protected BuiltinHookProvider(String name, Priority priority, String description, Function<Config, Hook> factory) {
        this.name = name;
        this.priority = priority;
        this.description = description;
        this.factory = factory;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final int defaultPriority() {
        return priority.value();
    }

    @Override
    public final int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public final Hook create(Config options) {
        return factory.apply(options);
    }
}
