package dev.stride.launcher.spark;

import com.typesafe.config.Config;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint a run resumes from. The first attempt follows the config's {@code resume}
 * ({@code --resume}): none, {@code auto} or a path. A retry (Spark's second attempt onwards) always
 * takes the newest complete checkpoint of the work dir, as {@code --resume auto} does, and falls
 * back to the config's choice when the failed attempt had not saved one yet.
 */
final class ResumePoint {
    private static final Logger LOG = LoggerFactory.getLogger(ResumePoint.class);

    private ResumePoint() {}

    /** @return null to start from scratch */
    static Path choose(Config job, int attempt) {
        Path workDir = Path.of(job.getString("work-dir"));
        if (attempt > 0) {
            Optional<Path> found = newest(workDir);
            if (found.isPresent()) {
                return found.get();
            }
        }
        if (job.getIsNull("resume")) {
            return null;
        }
        String resume = job.getString("resume");
        if (!resume.equals("auto")) {
            return Path.of(resume);
        }
        Optional<Path> found = newest(workDir);
        if (found.isEmpty()) {
            LOG.info("No checkpoint to resume from in {}: starting from scratch", workDir);
        }
        return found.orElse(null);
    }

    private static Optional<Path> newest(Path workDir) {
        return CheckpointFiles.findResumable(workDir, skipped -> LOG.warn("Skipped for resume: {}", skipped));
    }
}
