package dev.stride.launcher.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.api.spi.DatasetProvider;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.ModelProvider;
import dev.stride.runner.api.spi.OptimizerProvider;
import dev.stride.runner.api.spi.Provider;
import dev.stride.runner.api.spi.ProviderKind;
import dev.stride.runner.api.spi.RunnerProvider;
import dev.stride.runner.api.support.BaseRunner;
import dev.stride.launcher.Options;
import dev.stride.launcher.Problems;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.runner.api.internal.Suggestions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A config checked against the providers found: every section names a known provider and only
 * options it knows, the workflow is valid, the hooks are built. All problems are collected and
 * reported at once. Nothing is read from data files and nothing is written yet.
 */
public final class JobPlan {
    public static final Set<String> TOP_LEVEL = new TreeSet<>(List.of("runner", "workflow", "seed", "work-dir", "model", "data",
            "optimizer", "optimizer-config", "hooks", "default-hooks", "plugins", "resume", "load-from", "vars", "dist"));
    private static final Set<String> DATA_KEYS = Set.of("train", "val", "test");
    private static final Set<String> IGNORED = Set.of("type", "priority", "id");
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** A provider and its options with defaults filled in. */
    public record Section<P extends Provider>(P provider, Config options) {}

    /** A hook built from the config, with its priority. */
    public record PlannedHook(Hook hook, int priority, String type, String path, com.typesafe.config.ConfigOrigin origin) {}

    public final Config config;
    /** The config as written into checkpoints: values from environment variables replaced by their references. */
    public final Config recorded;
    public final long seed;
    public final Path workDir;
    public final Workflow workflow;
    public final Section<RunnerProvider> runner;
    public final Section<ModelProvider> model;
    public final Section<OptimizerProvider> optimizer;
    public final Map<Mode, Section<DatasetProvider>> data;
    /** {@code data.test}, for {@code stride test}; null when absent. */
    public final Section<DatasetProvider> test;
    public final List<PlannedHook> hooks;
    /**
     * The folders checkpoints are written to: the work dir, then each {@code out-dir} of the
     * config's {@code checkpoint} hooks (resolved against the work dir, absolute), without repeats.
     */
    public final List<Path> checkpointDirs;

    private JobPlan(Config config, Config recorded, long seed, Path workDir, Workflow workflow, Section<RunnerProvider> runner,
            Section<ModelProvider> model, Section<OptimizerProvider> optimizer, Map<Mode, Section<DatasetProvider>> data,
            Section<DatasetProvider> test, List<PlannedHook> hooks, List<Path> checkpointDirs) {
        this.config = config;
        this.recorded = recorded;
        this.seed = seed;
        this.workDir = workDir;
        this.workflow = workflow;
        this.runner = runner;
        this.model = model;
        this.optimizer = optimizer;
        this.data = data;
        this.test = test;
        this.hooks = hooks;
        this.checkpointDirs = checkpointDirs;
    }

    /**
     * @param subject names the config in messages, e.g. its file
     * @throws BadInputException listing every problem found
     */
    public static JobPlan of(Config config, ProviderRegistry registry, String subject) {
        return of(config, config, registry, subject);
    }

    /** Plans a config as {@link JobConfig#read} gives it; checkpoints record {@code loaded.recorded()}. */
    public static JobPlan of(JobConfig.Loaded loaded, ProviderRegistry registry, String subject) {
        return of(loaded.resolved(), loaded.recorded(), registry, subject);
    }

    private static JobPlan of(Config config, Config recorded, ProviderRegistry registry, String subject) {
        Problems problems = new Problems();
        for (Map.Entry<String, ConfigValue> e : config.root().entrySet()) {
            if (!TOP_LEVEL.contains(e.getKey())) {
                problems.add(e.getValue().origin(), e.getKey(), "unknown key" + Suggestions.didYouMean(e.getKey(), TOP_LEVEL)
                        + "; the top-level keys are " + String.join(", ", TOP_LEVEL));
            }
        }
        long seed = 0;
        try {
            seed = config.getLong("seed");
        } catch (ConfigException e) {
            problems.add(e);
        }
        Path workDir = null;
        try {
            workDir = Path.of(config.getString("work-dir"));
        } catch (ConfigException | java.nio.file.InvalidPathException e) {
            problems.add(config.getValue("work-dir").origin(), "work-dir", "not a usable folder path: " + e.getMessage());
        }
        Workflow workflow = Workflows.read(config, problems);
        Section<RunnerProvider> runner = section(config, "runner", ProviderKind.RUNNER, registry, problems);
        Section<ModelProvider> model = section(config, "model", ProviderKind.MODEL, registry, problems);
        Section<OptimizerProvider> optimizer = section(config, "optimizer", ProviderKind.OPTIMIZER, registry, problems);
        Map<String, Section<DatasetProvider>> sections = new java.util.HashMap<>();
        Map<Mode, Section<DatasetProvider>> data = data(config, workflow, registry, problems, sections);
        List<Path> outDirs = new ArrayList<>();
        List<PlannedHook> hooks = hooks(config, registry, problems, outDirs);
        problems.throwIfAny(subject);
        List<Path> checkpointDirs = new ArrayList<>();
        checkpointDirs.add(workDir);
        for (Path d : outDirs) {
            Path dir = workDir.toAbsolutePath().resolve(d).normalize();
            if (!checkpointDirs.contains(dir)) {
                checkpointDirs.add(dir);
            }
        }
        return new JobPlan(config, recorded, seed, workDir, workflow, runner, model, optimizer, data, sections.get("test"), hooks,
                List.copyOf(checkpointDirs));
    }

    private static <P extends Provider> Section<P> section(Config config, String path, ProviderKind kind,
            ProviderRegistry registry, Problems problems) {
        if (!config.hasPath(path)) {
            problems.add(fileOrigin(config), path, "missing section: add " + path + " { type = ... } (known " + kind.word()
                    + " types: " + String.join(", ", registry.names(kind)) + ")");
            return null;
        }
        ConfigValue v = config.getValue(path);
        if (v.valueType() != ConfigValueType.OBJECT) {
            problems.add(v.origin(), path, "expected an object { type = ..., ... }");
            return null;
        }
        return provided(((ConfigObject) v).toConfig(), path, kind, registry, problems);
    }

    /** The origin of the user's file (for problems about keys that are missing, so have no line of their own). */
    private static com.typesafe.config.ConfigOrigin fileOrigin(Config config) {
        for (ConfigValue v : config.root().values()) {
            if (v.origin().filename() != null && !v.origin().filename().endsWith("reference.conf")) {
                return com.typesafe.config.ConfigOriginFactory.newFile(v.origin().filename());
            }
        }
        return config.origin();
    }

    private static <P extends Provider> Section<P> provided(Config section, String path, ProviderKind kind,
            ProviderRegistry registry, Problems problems) {
        if (!section.hasPath("type")) {
            problems.add(section.origin(), path, "missing 'type': known " + kind.word() + " types are "
                    + String.join(", ", registry.names(kind)));
            return null;
        }
        ConfigValue typeValue = section.getValue("type");
        String type = String.valueOf(typeValue.unwrapped());
        var entry = registry.find(kind, type);
        if (entry.isEmpty()) {
            problems.add(typeValue.origin(), null, registry.unknown(kind, type, path + ".type"));
            return null;
        }
        @SuppressWarnings("unchecked")
        P p = (P) entry.get().provider();
        Config options = Options.merge(section, path, kind.word() + " '" + type + "'",
                ProviderRegistry.defaults(kind, p), IGNORED, problems);
        return new Section<>(p, options);
    }

    private static Map<Mode, Section<DatasetProvider>> data(Config config, Workflow workflow, ProviderRegistry registry,
            Problems problems, Map<String, Section<DatasetProvider>> all) {
        Map<Mode, Section<DatasetProvider>> out = new EnumMap<>(Mode.class);
        if (!config.hasPath("data") || config.getValue("data").valueType() != ConfigValueType.OBJECT) {
            problems.add(config.hasPath("data") ? config.getValue("data").origin() : fileOrigin(config), "data",
                    "missing or not an object: add data { train { type = ..., ... } }");
            return out;
        }
        ConfigObject data = config.getObject("data");
        for (Map.Entry<String, ConfigValue> e : data.entrySet()) {
            String key = e.getKey();
            if (!DATA_KEYS.contains(key)) {
                problems.add(e.getValue().origin(), "data." + key, "unknown data section" + Suggestions.didYouMean(key, DATA_KEYS)
                        + "; use data.train, data.val (and data.test for stride test)");
                continue;
            }
            if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                problems.add(e.getValue().origin(), "data." + key, "expected an object { type = ..., ... }");
                continue;
            }
            Section<DatasetProvider> s = provided(((ConfigObject) e.getValue()).toConfig(), "data." + key,
                    ProviderKind.DATASET, registry, problems);
            if (s != null) {
                all.put(key, s);
                if (!key.equals("test")) {
                    out.put(Mode.parse(key), s);
                }
            }
        }
        if (workflow != null) {
            for (Mode m : workflow.modes()) {
                if (!data.containsKey(m.id())) {
                    problems.add(data.origin(), "data", "the workflow " + workflow + " has a " + m + " phase but there is no data."
                            + m + " section");
                }
            }
        }
        return out;
    }

    private static List<PlannedHook> hooks(Config config, ProviderRegistry registry, Problems problems, List<Path> outDirs) {
        List<PlannedHook> out = new ArrayList<>();
        ConfigValue list = config.getValue("hooks");
        if (list.valueType() != ConfigValueType.LIST) {
            problems.add(list.origin(), "hooks", "expected a list [{ type = ..., ... }, ...]");
            return out;
        }
        boolean defaults = true;
        try {
            defaults = config.getBoolean("default-hooks");
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            problems.add(config.getValue("default-hooks").origin(), "default-hooks", "expected true or false");
        }
        // the reference's list is the default hooks: without a list of its own, default-hooks = false leaves none
        List<? extends ConfigValue> items = !defaults && isDefault(list) ? List.of() : config.getList("hooks");
        Set<String> types = new TreeSet<>();
        for (int i = 0; i < items.size(); i++) {
            ConfigValue item = items.get(i);
            String path = "hooks[" + i + "]";
            if (item.valueType() != ConfigValueType.OBJECT) {
                problems.add(item.origin(), path, "expected an object { type = ..., ... }");
                continue;
            }
            Config hookConfig = ((ConfigObject) item).toConfig();
            Section<HookProvider> s = provided(hookConfig, path, ProviderKind.HOOK, registry, problems);
            if (s == null) {
                continue;
            }
            types.add(s.provider().name());
            if (hookConfig.hasPath("id")) {
                ConfigValue id = hookConfig.getValue("id");
                String text = String.valueOf(id.unwrapped());
                if (id.valueType() != ConfigValueType.STRING && id.valueType() != ConfigValueType.NUMBER
                        || !ID.matcher(text).matches()) {
                    problems.add(id.origin(), path + ".id", "'" + text + "' is not a hook id: use letters, digits, '-', '_'"
                            + " and '.', e.g. id = best-loss");
                    continue;
                }
                s = new Section<>(s.provider(), s.options().withValue("id", id));
            }
            if (s.provider().name().equals("checkpoint") && s.options().hasPath("out-dir")
                    && s.options().getValue("out-dir").valueType() == ConfigValueType.STRING) {
                try {
                    outDirs.add(Path.of(s.options().getString("out-dir")));
                } catch (java.nio.file.InvalidPathException e) {
                    problems.add(s.options().getValue("out-dir").origin(), path + ".out-dir", "not a usable folder path: "
                            + e.getMessage());
                }
            }
            plan(s, hookConfig, path, problems, out);
        }
        for (DefaultHook d : defaultHooks(config)) {
            if (defaults || d.required()) {
                addDefault(config, registry, problems, out, types, d);
            }
        }
        checkNames(out, problems);
        return out;
    }

    /**
     * A hook every job gets unless its hooks list has one of the type, as MMCV always registers
     * the optimizer and timer hooks.
     *
     * @param options its options (e.g. {@code optimizer-config} for the optimizer hook)
     * @param path where the options come from, for messages
     * @param required whether a distribution without the hook cannot train
     */
    private record DefaultHook(String type, Config options, String path, boolean required) {}

    /** Whether a value is the one of Stride's reference config, not given by the user. */
    private static boolean isDefault(ConfigValue v) {
        String resource = v.origin().resource();
        return resource != null && resource.endsWith("reference.conf");
    }

    /** The default hooks, in the order they are registered: the one place to add one. */
    private static List<DefaultHook> defaultHooks(Config config) {
        Config none = com.typesafe.config.ConfigFactory.empty();
        return List.of(
                new DefaultHook("optimizer", config.getConfig("optimizer-config"), "optimizer-config", true),
                new DefaultHook("iter-timer", none, "iter-timer", false),
                // a NaN or infinite loss stops training (with an error naming the iteration) instead of training on
                new DefaultHook("invalid-loss", none, "invalid-loss", false));
    }

    /**
     * A hook's name keys its state in checkpoints: two hooks that keep state under one name would
     * swap or lose their states on resume, so each needs an id of its own.
     */
    private static void checkNames(List<PlannedHook> hooks, Problems problems) {
        Map<String, List<PlannedHook>> byName = new java.util.LinkedHashMap<>();
        for (PlannedHook h : hooks) {
            byName.computeIfAbsent(h.hook().name(), k -> new ArrayList<>()).add(h);
        }
        byName.forEach((name, same) -> {
            if (same.size() > 1 && same.stream().anyMatch(h -> BaseRunner.keepsState(h.hook()))) {
                for (PlannedHook h : same.subList(1, same.size())) {
                    problems.add(h.origin(), h.path(), "a second hook named '" + name + "' (" + same.get(0).path() + " is the"
                            + " first); its state in checkpoints is kept by name, so give each an id of its own, e.g."
                            + " { type = " + h.type() + ", id = " + h.type() + "-2, ... }");
                }
            }
        });
    }

    /** Adds a default hook, unless the config lists one of its type. */
    private static void addDefault(Config config, ProviderRegistry registry, Problems problems, List<PlannedHook> out,
            Set<String> types, DefaultHook d) {
        if (types.contains(d.type())) {
            if (!d.options().isEmpty() && config.hasPath(d.path())) {
                problems.add(config.getValue(d.path()).origin(), d.path(),
                        "the hooks list has its own " + d.type() + " hook: put these options there, not in " + d.path());
            }
            return;
        }
        var entry = registry.find(ProviderKind.HOOK, d.type());
        if (entry.isEmpty()) {
            if (d.required()) {
                // without it no train step would ever update the model
                problems.add(fileOrigin(config), "hooks", "no hook named '" + d.type() + "' is available to step the optimizer"
                        + " after each train iteration (it comes with hooks-builtin, which this distribution lacks: "
                        + "known hook types: " + String.join(", ", registry.names(ProviderKind.HOOK)) + "). Put"
                        + " hooks-builtin's jar on the module path, or list a hook of type " + d.type() + " from a plugin");
            }
            return;
        }
        HookProvider p = (HookProvider) entry.get().provider();
        Config merged = Options.merge(d.options(), d.path(), "hook '" + d.type() + "'",
                ProviderRegistry.defaults(ProviderKind.HOOK, p), Set.of(), problems);
        plan(new Section<>(p, merged), d.options(), d.path(), problems, out);
    }

    private static void plan(Section<HookProvider> s, Config hookConfig, String path, Problems problems,
            List<PlannedHook> out) {
        int priority = s.provider().defaultPriority();
        if (hookConfig.hasPath("priority")) {
            ConfigValue pv = hookConfig.getValue("priority");
            try {
                priority = Priority.parse(String.valueOf(pv.unwrapped()));
            } catch (IllegalArgumentException e) {
                problems.add(pv.origin(), path + ".priority", e.getMessage());
                return;
            }
        }
        try {
            out.add(new PlannedHook(s.provider().create(s.options()), priority, s.provider().name(), path,
                    hookConfig.origin()));
        } catch (BadInputException e) {
            problems.add(hookConfig.origin(), path, "hook '" + s.provider().name() + "': " + e.getMessage());
        } catch (ConfigException e) {
            problems.add(e);
        }
    }
}
