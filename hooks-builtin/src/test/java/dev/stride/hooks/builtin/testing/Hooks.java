package dev.stride.hooks.builtin.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.ProviderKind;
import dev.stride.launcher.Options;
import dev.stride.launcher.Problems;
import dev.stride.launcher.ProviderRegistry;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Builds built-in hooks as the app does: the provider found by name through {@code ServiceLoader}
 * (the {@code META-INF/services} file on the class path), the user's HOCON checked against and
 * merged onto the provider's {@code reference.conf} defaults, then {@code create}.
 */
public final class Hooks {
    private Hooks() {}

    /** A hook and the priority the app would register it with. */
    public record Planned(Hook hook, int priority) {}

    public static HookProvider provider(String type) {
        for (HookProvider p : ServiceLoader.load(HookProvider.class)) {
            if (p.name().equals(type)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no hook provider named " + type);
    }

    /** The hook of {@code type} with the options {@code hocon} (e.g. {@code "interval = 2"}). */
    public static Hook create(String type, String hocon) {
        return plan(type, hocon).hook();
    }

    /** The options as the provider receives them: the user's section merged onto the defaults. */
    public static Config options(String type, String hocon) {
        HookProvider p = provider(type);
        Problems problems = new Problems();
        Config merged = Options.merge(ConfigFactory.parseString(hocon), "hooks[0]", "hook '" + type + "'",
                ProviderRegistry.defaults(ProviderKind.HOOK, p), Set.of("type", "priority"), problems);
        problems.throwIfAny("the test config");
        return merged;
    }

    public static Planned plan(String type, String hocon) {
        HookProvider p = provider(type);
        Config section = ConfigFactory.parseString(hocon);
        int priority = section.hasPath("priority") ? Priority.parse(section.getString("priority")) : p.defaultPriority();
        return new Planned(p.create(options(type, hocon)), priority);
    }
}
