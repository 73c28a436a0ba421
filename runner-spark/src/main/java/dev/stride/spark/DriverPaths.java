package dev.stride.spark;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.checkpoint.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paths of a job as the driver sees them. Executors run in other working directories (and on a
 * cluster, other machines): relative paths the config holds ({@code work-dir}, {@code data.*.root},
 * {@code resume}, {@code load-from}) are made absolute against the driver's working directory
 * before the config is sent to them. On a cluster they must name shared storage.
 */
final class DriverPaths {
    private static final Logger LOG = LoggerFactory.getLogger("stride");

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
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-test", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new BadInputException("the work dir " + dir + " cannot be written (" + e.getMessage()
                    + "): choose another with --work-dir DIR");
        }
        int removed = AtomicFiles.removeLeftovers(dir);
        if (removed > 0) {
            LOG.info("Removed {} unfinished checkpoint file(s) a killed run left in {}", removed, dir);
        }
    }
}
