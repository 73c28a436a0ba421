package dev.stride.launcher.job;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The work dir of a run, made ready once the config is known to be valid. */
public final class WorkDir {
    private static final Logger LOG = LoggerFactory.getLogger("stride");

    private WorkDir() {}

    /** Creates the folder, checks that it can be written, removes the temp files a killed run left. */
    public static void prepare(Path dir) {
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
