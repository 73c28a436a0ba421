package dev.stride.launcher.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import dev.stride.runner.api.BadInputException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a job's config: the HOCON file, then every {@code --set} on top ({@link ConfigEdits}: list
 * indices and {@code +=} appends), then the
 * defaults of {@code stride.job}, resolved. Before HOCON reads anything, the file and everything it
 * includes are checked ({@link IncludeScan}): includes are relative to the file that includes them,
 * and a missing, special, huge or cyclic include is an error, as is nesting deeper than 64 levels.
 */
public final class JobConfig {
    private JobConfig() {}

    /**
     * A config as read: {@code resolved} for planning and running the job; {@code recorded}, the
     * same with every value from an environment variable replaced by its reference
     * ({@code "${?API_TOKEN}"}), for what is written down (checkpoints).
     */
    public record Loaded(Config resolved, Config recorded) {}

    public static Config load(Path file, List<String> sets) {
        return read(file, sets).resolved();
    }

    /** @throws BadInputException naming the file, line and key of every problem found */
    public static Loaded read(Path file, List<String> sets) {
        Path abs;
        try {
            abs = file.toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new BadInputException("the config file " + file + " is not a usable path: " + e.getMessage());
        }
        IncludeScan.check(abs, file);
        try {
            Config user = ConfigFactory.parseFile(abs.toFile(), ConfigParseOptions.defaults()
                    .setAllowMissing(false).setSyntax(ConfigSyntax.CONF).setIncluder(new RelativeIncluder(null)));
            Config defaults = defaults();
            Config merged = edited(user, defaults, sets);
            Config unresolved = merged.withFallback(defaults);
            Config resolved = unresolved.resolve();
            return new Loaded(resolved, FromEnvironment.hide(resolved, unresolved));
        } catch (ConfigException e) {
            throw new BadInputException("the config cannot be read: " + e.getMessage());
        } catch (StackOverflowError e) {
            // the scan bounds nesting; a last resort for what it cannot see (a deep chain of substitutions)
            throw new BadInputException("the config " + file + " is nested or chained too deeply to read: flatten its"
                    + " objects, lists and substitutions");
        }
    }

    /** The defaults of every job: {@code stride.job} of the reference config. */
    static Config defaults() {
        return ConfigFactory.defaultReference(JobConfig.class.getClassLoader()).getConfig("stride.job");
    }

    /** {@code config} with each {@code --set} applied in order ({@link ConfigEdits}). */
    static Config edited(Config config, Config defaults, List<String> sets) {
        Config merged = config;
        for (String set : sets) {
            merged = ConfigEdits.apply(merged, defaults, set);
        }
        return merged;
    }

    /** One {@code key=value}; the value is HOCON (number, list, object) or else a plain string. */
    public static Config override(String set) {
        int eq = set.indexOf('=');
        if (eq <= 0) {
            throw new BadInputException("--set " + set + ": write --set key=value, e.g. --set runner.max-epochs=1");
        }
        String key = set.substring(0, eq).trim();
        String value = set.substring(eq + 1).trim();
        try {
            ConfigUtil.splitPath(key);
        } catch (ConfigException e) {
            throw new BadInputException("--set " + set + ": '" + key + "' is not a config path such as optimizer.lr");
        }
        int deep = IncludeScan.tooDeep(value);
        if (deep > 0) {
            throw new BadInputException("--set " + key + "=...: its value nests objects and lists more than "
                    + IncludeScan.MAX_DEPTH + " levels deep");
        }
        ConfigParseOptions origin = ConfigParseOptions.defaults().setOriginDescription("--set " + set);
        try {
            return ConfigFactory.parseString(key + " = " + value, origin);
        } catch (ConfigException notHocon) {
            return ConfigFactory.empty("--set " + set).withValue(key, ConfigValueFactory.fromAnyRef(value, "--set " + set));
        } catch (StackOverflowError e) {
            throw new BadInputException("--set " + key + "=...: its value is nested too deeply to read");
        }
    }

    /**
     * The folders of the config's {@code plugins} key. A relative folder is relative to the file
     * that names it, as an {@code include} is (a {@code --set plugins=...} to the working directory).
     */
    public static List<Path> pluginDirs(Config config) {
        List<Path> dirs = new java.util.ArrayList<>();
        for (com.typesafe.config.ConfigValue v : config.getList("plugins")) {
            if (v.valueType() != com.typesafe.config.ConfigValueType.STRING) {
                throw new BadInputException(dev.stride.runner.api.support.Settings.where(v.origin())
                        + "plugins: expected a list of folder paths, e.g. plugins = [\"plugins\"]");
            }
            Path dir = Path.of((String) v.unwrapped());
            String file = v.origin().filename();
            if (!dir.isAbsolute() && file != null) {
                Path parent = Path.of(file).toAbsolutePath().getParent();
                dir = parent == null ? dir : parent.resolve(dir).normalize();
            }
            dirs.add(dir);
        }
        return dirs;
    }
}
