package dev.stride.runner.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.stride.launcher.Options;
import dev.stride.launcher.Problems;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.Provider;
import dev.stride.runner.api.spi.ProviderKind;
import dev.stride.runner.api.spi.RunnerProvider;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Finds runner and hook providers by name with {@link ServiceLoader} (the thread's context class
 * loader: the test class path, or the module graph), checked by the launcher's registry as a job
 * checks them, and builds them from options exactly as the launcher does.
 */
final class Providers {
    /** The artifact of each provider Stride ships, for the message when one is missing. */
    private static final Map<String, String> RUNNERS = Map.of("epoch", "runner-epoch", "iter", "runner-iter");

    private static final Set<String> BUILTIN_HOOKS = Set.of("optimizer", "iter-timer", "text-logger", "json-logger",
            "checkpoint", "eval", "early-stopping", "invalid-loss", "progress", "memory", "tensorboard", "plot", "profile",
            "lr-schedule", "momentum-schedule");

    private Providers() {}

    /** A hook built from HOCON, and the priority a job would register it with. */
    record PlannedHook(Hook hook, int priority, String type) {}

    private static ProviderRegistry registry(ProviderKind kind) {
        ProviderRegistry.Builder b = new ProviderRegistry.Builder();
        b.scan(kind, ServiceLoader.load(kind.type()));
        return b.build();
    }

    static Optional<Provider> find(ProviderKind kind, String name) {
        return registry(kind).find(kind, name).map(ProviderRegistry.Entry::provider);
    }

    /**
     * @throws IllegalStateException naming the artifact to add when no provider of that name is found
     */
    static <P extends Provider> P get(ProviderKind kind, String name) {
        ProviderRegistry registry = registry(kind);
        Optional<ProviderRegistry.Entry> e = registry.find(kind, name);
        if (e.isPresent()) {
            return cast(kind, e.get().provider());
        }
        String artifact = kind == ProviderKind.RUNNER ? RUNNERS.get(name)
                : BUILTIN_HOOKS.contains(name) ? "hooks-builtin" : name.equals("ema") ? "engine-djl" : null;
        String fix = artifact != null ? "add dev.stride:" + artifact + " as a test dependency"
                : "add the jar that provides it as a test dependency (a provider is listed in its jar's"
                        + " META-INF/services/" + kind.type().getName() + ")";
        String found = String.join(", ", registry.names(kind));
        throw new IllegalStateException("no " + kind.word() + " named '" + name + "' on the class path: " + fix + ". "
                + capitalized(kind.word()) + "s found: " + (found.isEmpty() ? "none" : found) + ".");
    }

    @SuppressWarnings("unchecked")
    private static <P extends Provider> P cast(ProviderKind kind, Provider p) {
        return (P) kind.type().cast(p);
    }

    private static String capitalized(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    /** A runner's options: the user's map checked against and merged onto the provider's defaults. */
    static Config runnerOptions(RunnerProvider p, Map<String, ?> options) {
        Problems problems = new Problems();
        Config user = ConfigFactory.parseMap(options, "the harness's runner options");
        Config merged = Options.merge(user, "runner", "runner '" + p.name() + "'", ProviderRegistry.defaults(ProviderKind.RUNNER, p),
                Set.of("type"), problems);
        problems.throwIfAny("The options of runner '" + p.name() + "'");
        return merged;
    }

    /** The options a hook provider receives: the user's HOCON, {@code type} and {@code priority} removed, on its defaults. */
    static Config hookOptions(HookProvider p, String hocon, String path) {
        Problems problems = new Problems();
        Config merged = Options.merge(ConfigFactory.parseString(hocon), path, "hook '" + p.name() + "'",
                ProviderRegistry.defaults(ProviderKind.HOOK, p), Set.of("type", "priority"), problems);
        problems.throwIfAny("The test's options of hook '" + p.name() + "'");
        return merged;
    }

    /** A hook of {@code type} built from {@code hocon}; its {@code priority} key honoured, else the provider's default. */
    static PlannedHook plan(String type, String hocon, String path) {
        HookProvider p = get(ProviderKind.HOOK, type);
        Config section = ConfigFactory.parseString(hocon);
        int priority = section.hasPath("priority") ? Priority.parse(section.getString("priority")) : p.defaultPriority();
        return new PlannedHook(p.create(hookOptions(p, hocon, path)), priority, p.name());
    }
}
