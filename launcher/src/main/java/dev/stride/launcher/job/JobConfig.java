package dev.stride.launcher.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import dev.stride.runner.api.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a job's config: the HOCON file (its {@code include}s work as HOCON defines them), then
 * every {@code --set key=value} on top, then the defaults of {@code stride.job}, resolved.
 */
public final class JobConfig {
    private JobConfig() {}

    public static Config load(Path file, List<String> sets) {
        if (!Files.exists(file)) {
            throw new BadInputException("the config file " + file + " does not exist (looked at " + file.toAbsolutePath() + ")");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new BadInputException("the config file " + file + " is not a readable file");
        }
        try {
            Config user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults()
                    .setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
            Config merged = user;
            for (String set : sets) {
                merged = override(set).withFallback(merged);
            }
            Config defaults = ConfigFactory.defaultReference(JobConfig.class.getClassLoader()).getConfig("stride.job");
            return merged.withFallback(defaults).resolve();
        } catch (ConfigException e) {
            throw new BadInputException("the config cannot be read: " + e.getMessage());
        }
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
        ConfigParseOptions origin = ConfigParseOptions.defaults().setOriginDescription("--set " + set);
        try {
            return ConfigFactory.parseString(key + " = " + value, origin);
        } catch (ConfigException notHocon) {
            return ConfigFactory.empty("--set " + set).withValue(key, ConfigValueFactory.fromAnyRef(value, "--set " + set));
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
