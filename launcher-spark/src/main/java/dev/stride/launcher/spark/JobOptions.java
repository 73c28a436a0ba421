package dev.stride.launcher.spark;

import com.typesafe.config.Config;
import dev.stride.launcher.ConfiguredJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options {@code train} and {@code sweep} share with {@code stride train}. */
final class JobOptions {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "The HOCON config file.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override any config path, e.g. --set dist.workers=4.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where logs and checkpoints go (overrides work-dir).")
    String workDir;

    @Option(names = "--seed", paramLabel = "N", description = "Overrides the config's seed.")
    Long seed;

    @Option(names = "--plugins", paramLabel = "DIR", description = "A folder of plugin jars (repeatable).")
    List<Path> plugins = new ArrayList<>();

    /** The config with every override, as {@code stride train} reads it. */
    Config load(List<String> more) {
        List<String> overrides = new ArrayList<>(sets);
        if (seed != null) {
            overrides.add("seed=" + seed);
        }
        if (workDir != null) {
            overrides.add("work-dir=" + quote(workDir));
        }
        overrides.addAll(more);
        return ConfiguredJob.load(config, overrides);
    }

    /** The plugin folders of the options and of the config's {@code plugins} key. */
    List<Path> pluginDirs(Config job) {
        List<Path> dirs = new ArrayList<>(plugins);
        dirs.addAll(dev.stride.launcher.ConfiguredJob.pluginDirs(job));
        return dirs;
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
