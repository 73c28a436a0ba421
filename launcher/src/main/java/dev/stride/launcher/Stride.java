package dev.stride.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.spi.DatasetProvider;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.ModelProvider;
import dev.stride.runner.api.spi.OptimizerProvider;
import dev.stride.runner.api.spi.Provider;
import dev.stride.runner.api.spi.ProviderKind;
import dev.stride.runner.api.spi.RunnerProvider;
import dev.stride.runner.api.spi.RunnerSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Stride from plain Java, without a command line or config file: builds runners, hooks, models,
 * data loaders and optimizers by name, with options given as maps (the same names and defaults as
 * in a config file, checked the same way).
 *
 * <pre>{@code
 * Stride stride = Stride.load();
 * DataLoader train = stride.dataset("mnist-idx", Map.of("split", "train", "shuffle", true), Mode.TRAIN, 42);
 * Model model = stride.model("mlp", Map.of("hidden", List.of(128)), train.spec(), 42);
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Stride {
    private final ProviderRegistry registry;

    private Stride(ProviderRegistry registry) {
        this.registry = registry;
    }

    /** Everything found on the module path or class path of the calling program. */
    public static Stride load() {
        return new Stride(ProviderRegistry.load());
    }

    /** Components from a given registry (plugin layers, tests). */
    public static Stride of(ProviderRegistry registry) {
        return new Stride(registry);
    }

    public ProviderRegistry registry() {
        return registry;
    }

    public Runner runner(String name, Map<String, ?> options, Model model, Optimizer optimizer, Path workDir, long seed) {
        RunnerProvider p = provider(ProviderKind.RUNNER, name);
        return p.create(RunnerSettings.builder(model, optimizer)
                .workDir(workDir).seed(seed).options(options(ProviderKind.RUNNER, p, options)).build());
    }

    public Hook hook(String name, Map<String, ?> options) {
        HookProvider p = provider(ProviderKind.HOOK, name);
        return p.create(options(ProviderKind.HOOK, p, options));
    }

    /** The default priority of a hook type. */
    public int priority(String hookName) {
        HookProvider p = provider(ProviderKind.HOOK, hookName);
        return p.defaultPriority();
    }

    public Model model(String name, Map<String, ?> options, DataSpec data, long seed) {
        ModelProvider p = provider(ProviderKind.MODEL, name);
        return p.create(options(ProviderKind.MODEL, p, options), data, seed);
    }

    public DataLoader dataset(String name, Map<String, ?> options, Mode mode, long seed) {
        DatasetProvider p = provider(ProviderKind.DATASET, name);
        return p.create(options(ProviderKind.DATASET, p, options), mode, seed);
    }

    public Optimizer optimizer(String name, Map<String, ?> options, Model model) {
        OptimizerProvider p = provider(ProviderKind.OPTIMIZER, name);
        return p.create(options(ProviderKind.OPTIMIZER, p, options), model);
    }

    private <P extends Provider> P provider(ProviderKind kind, String name) {
        return registry.get(kind, name, null, null);
    }

    private static Config options(ProviderKind kind, Provider p, Map<String, ?> options) {
        Problems problems = new Problems();
        Config user = ConfigFactory.parseMap(options, kind.word() + " '" + p.name() + "' options");
        Config merged = Options.merge(user, "", kind.word() + " '" + p.name() + "'", ProviderRegistry.defaults(kind, p),
                Set.of(), problems);
        problems.throwIfAny("The options of " + kind.word() + " '" + p.name() + "'");
        return merged;
    }
}
