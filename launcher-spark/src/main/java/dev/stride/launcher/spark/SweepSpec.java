package dev.stride.launcher.spark;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.stride.launcher.ConfiguredJob;
import java.io.Serializable;
import java.nio.file.Path;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every trial of a sweep is given: the resolved base config (as text), the plugin folders,
 * the folder that holds the trials' work dirs.
 *
 * @param config the resolved base config, rendered as JSON
 * @param fault a test switch, or null
 */
record SweepSpec(String config, List<String> pluginDirs, String sweepDir, String subject, InjectedFault fault)
        implements Serializable { // java-serialization: Spark ships it to the executors inside a TrialTask
    private static final long serialVersionUID = 1L;

    /** The work dir of a trial. */
    Path workDir(Trial trial) {
        return Path.of(sweepDir).resolve(trial.name());
    }

    /** The base config with the trial's values and its own work dir. */
    Config configFor(Trial trial) {
        Config c = ConfigFactory.parseString(config, ConfigParseOptions.defaults().setOriginDescription(subject));
        for (String set : trial.overrides()) {
            c = ConfiguredJob.override(set).withFallback(c);
        }
        return c.withValue("work-dir", ConfigValueFactory.fromAnyRef(workDir(trial).toString(), trial.name())).resolve();
    }

    /**
     * The curves of the sweep's chart come from the trials' JSON logs: a config without a
     * {@code json-logger} hook gets one, logging every 10 iterations.
     */
    static Config withJsonLogger(Config config) {
        List<? extends ConfigValue> hooks = config.getList("hooks");
        for (ConfigValue h : hooks) {
            if (h instanceof ConfigObject o && "json-logger".equals(String.valueOf(o.toConfig().hasPath("type")
                    ? o.toConfig().getValue("type").unwrapped() : null))) {
                return config;
            }
        }
        List<Object> more = new ArrayList<>();
        hooks.forEach(h -> more.add(h.unwrapped()));
        more.add(Map.of("type", "json-logger", "interval", 10));
        return config.withValue("hooks", ConfigValueFactory.fromIterable(more, "added by stride sweep for its chart"));
    }

    List<Path> plugins() {
        return pluginDirs.stream().map(Path::of).toList();
    }
}
