package dev.stride.launcher.spark;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.stride.launcher.ConfiguredJob;
import java.nio.file.Path;

/**
 * Paths of a job as the driver sees them. Executors run in other working directories (and on a
 * cluster, other machines): relative paths the config holds ({@code work-dir}, {@code data.*.root},
 * {@code resume}, {@code load-from}) are made absolute against the driver's working directory
 * before the config is sent to them. On a cluster they must name shared storage.
 */
final class DriverPaths {

    private DriverPaths() {}

    static Config absolute(Config job) {
        Config c = job;
        c = absolute(c, "work-dir");
        c = absolute(c, "resume");
        c = absolute(c, "load-from");
        c = absolute(c, "load-from.file");
        if (c.hasPath("data") && c.getValue("data").valueType() == ConfigValueType.OBJECT) {
            for (String section : c.getObject("data").keySet()) {
                c = absolute(c, "data." + section + ".root");
            }
        }
        return c;
    }

    private static Config absolute(Config c, String path) {
        if (!c.hasPath(path)) {
            return c;
        }
        ConfigValue v = c.getValue(path);
        if (v.valueType() != ConfigValueType.STRING) {
            return c;
        }
        String s = (String) v.unwrapped();
        if (s.isEmpty() || (path.equals("resume") && s.equals("auto"))) {
            return c;
        }
        Path p = Path.of(s);
        return p.isAbsolute() ? c : c.withValue(path, ConfigValueFactory.fromAnyRef(p.toAbsolutePath().normalize().toString(),
                v.origin().description()));
    }

    /** Creates the work dir, checks that it can be written, removes what a killed run left. */
    static void prepareWorkDir(Path dir) {
        ConfiguredJob.prepareWorkDir(dir);
    }
}
