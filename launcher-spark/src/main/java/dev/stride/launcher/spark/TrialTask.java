package dev.stride.launcher.spark;

import dev.stride.launcher.ConfiguredJob;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.internal.AtomicFiles;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One trial of a sweep as a Spark task: it trains in its own work dir and always resumes from
 * the newest checkpoint there, so a retried task continues where the failed attempt last saved,
 * and a re-run sweep only finishes what is unfinished.
 */
final class TrialTask implements Function<Trial, TrialResult> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TrialTask.class);
    private final SweepSpec spec;

    TrialTask(SweepSpec spec) {
        this.spec = spec;
    }

    @Override
    public TrialResult call(Trial trial) {
        Main.oneThreadPerTask(); // an executor of another cluster manager, whose JVM options are the user's
        TaskContext ctx = TaskContext.get();
        int attempt = ctx == null ? 0 : ctx.attemptNumber();
        Runnable cancelled = ctx == null ? () -> { } : ctx::killTaskIfInterrupted;
        long start = System.nanoTime();
        Path dir = spec.workDir(trial);
        TrialLog log = new TrialLog(dir, attempt);
        log.line("started " + trial.name() + " " + trial.overrides());
        ConfiguredJob job = null;
        try {
            AtomicFiles.removeLeftovers(dirCreated(dir));
            CollectorLock.take(cancelled);
            try {
                job = ConfiguredJob.build(spec.configFor(trial), ConfiguredJob.registry(spec.plugins(), false), spec.subject()
                        + ", " + trial.name());
            } finally {
                CollectorLock.release();
            }
            Runner runner = job.runner();
            runner.registerHook(new CollectorLock.Turns(cancelled), Priority.HIGHEST);
            Hook fault = spec.fault() == null ? null : spec.fault().hookFor(trial.index(), attempt);
            if (fault != null) {
                runner.registerHook(fault, Priority.HIGHEST);
            }
            Optional<Path> resume = CheckpointFiles.findResumable(dir, skipped -> log.line("skipped for resume: " + skipped));
            if (resume.isPresent()) {
                runner.resume(resume.get());
                log.line("Resumed from " + resume.get() + " (epoch " + runner.epoch() + ", iter " + runner.iter() + ")");
            } else {
                log.line("no checkpoint yet: training from scratch");
            }
            RunOutcome outcome = runner.run(job.loaders(), job.workflow());
            CollectorLock.releaseAll();
            log.line("finished: " + outcome + " at epoch " + runner.epoch() + ", iter " + runner.iter());
            LOG.info("{}: {} at epoch {}, iter {}", trial.name(), outcome, runner.epoch(), runner.iter());
            return new TrialResult(trial, dir.toString(), runner.epoch(), runner.iter(), outcome.name(), attempt,
                    resume.map(Path::toString).orElse(null), (System.nanoTime() - start) / 1e9, TrainingCurves.read(dir));
        } catch (RuntimeException | Error e) {
            log.line("failed: " + e);
            throw e;
        } finally {
            CollectorLock.releaseAll();
            if (job != null) {
                job.runner().model().close();
            }
        }
    }

    private static Path dirCreated(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the trial's work dir " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }
}
