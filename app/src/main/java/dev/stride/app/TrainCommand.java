package dev.stride.app;

import com.typesafe.config.Config;
import dev.stride.launcher.ModelWeights;
import dev.stride.launcher.Problems;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.launcher.job.Job;
import dev.stride.launcher.job.JobConfig;
import dev.stride.launcher.job.JobPlan;
import dev.stride.launcher.job.LoadFrom;
import dev.stride.launcher.job.Plugins;
import dev.stride.launcher.job.Signals;
import dev.stride.launcher.job.WorkDir;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stride train CONFIG}: checks the whole config, loads the data, then trains. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a model as CONFIG describes.")
final class TrainCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("stride");

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The HOCON config file.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override any config path, e.g. --set runner.max-epochs=1.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where logs and checkpoints go (overrides work-dir).")
    String workDir;

    @Option(names = "--resume", paramLabel = "auto|PATH",
            description = "Continue from a checkpoint: auto takes the newest complete one of the work dir.")
    String resume;

    @Option(names = "--seed", paramLabel = "N", description = "Overrides the config's seed.")
    Long seed;

    @Option(names = "--plugins", paramLabel = "DIR", description = "A folder of plugin jars (repeatable).")
    List<Path> plugins = new ArrayList<>();

    @Option(names = "--dry-run", description = "Check the config, load the data, build everything; write nothing, train nothing.")
    boolean dryRun;

    @Option(names = "--load-from", paramLabel = "FILE",
            description = "Start from the model weights of a checkpoint (epoch 0, fresh optimizer); --resume wins.")
    Path loadFrom;

    @Override
    public Integer call() {
        List<String> overrides = new ArrayList<>(sets);
        if (seed != null) {
            overrides.add("seed=" + seed);
        }
        if (workDir != null) {
            overrides.add("work-dir=" + quote(workDir));
        }
        if (resume != null) {
            overrides.add("resume=" + quote(resume));
        }
        Config cfg = JobConfig.load(config, overrides);
        if (cfg.hasPath("dist.type") && "spark".equals(String.valueOf(cfg.getValue("dist.type").unwrapped()))) {
            throw new BadInputException(Problems.where(cfg.getValue("dist.type").origin())
                    + "dist.type = spark trains on Apache Spark, which runs on the class path, not on this module path. Run"
                    + " ./stride train " + config + " --set dist.type=spark ... (the launcher then uses launcher-spark), or"
                    + " spark-submit launcher-spark (see launcher-spark/README.md).");
        }
        List<Path> pluginDirs = new ArrayList<>(plugins);
        pluginDirs.addAll(JobConfig.pluginDirs(cfg));
        ProviderRegistry registry = Plugins.registry(Plugins.folders(pluginDirs));
        String subject = "The config " + config;
        JobPlan plan = JobPlan.of(cfg, registry, subject);
        Job job = Job.build(plan, subject);
        LoadFrom weights = LoadFrom.of(cfg, loadFrom);
        if (dryRun) {
            LOG.info("Dry run: the config is valid; {} runner, workflow {}, {} hooks, {} train batches per epoch",
                    job.runner.name(), plan.workflow, job.runner.hooks().size(), job.loaders.get(dev.stride.runner.api.Mode.TRAIN).batchesPerEpoch());
            job.runner.model().close();
            return Main.DONE;
        }
        WorkDir.prepare(plan.workDir);
        if (!resume(job, cfg) && weights != null) {
            ModelWeights.Report report = ModelWeights.load(job.runner.model(), weights.file(), weights.strict(), weights.revise());
            LOG.info("Loaded {} tensors from {}", report.loaded().size(), weights.file());
            if (!report.missing().isEmpty() || !report.unexpected().isEmpty()) {
                LOG.warn("load-from (strict = false): not in the file, kept as initialised: {}; in the file, not in the model: {}",
                        report.missing(), report.unexpected());
            }
        } else if (weights != null) {
            LOG.info("Both resume and load-from are set: resuming; load-from {} is ignored", weights.file());
        }
        Signals.install(job.runner);
        LOG.info("Training {} with the {} runner, workflow {}, seed {}, work dir {}", plan.model.provider().name(),
                job.runner.name(), plan.workflow, plan.seed, plan.workDir);
        RunOutcome outcome;
        try {
            outcome = job.runner.run(job.loaders, plan.workflow);
        } catch (RuntimeException | Error e) {
            String latest = dev.stride.runner.api.checkpoint.CheckpointFiles.latest(plan.workDir).map(Path::toString)
                    .orElse("none yet");
            LOG.error("Training stopped at epoch {}, iter {} by an error (below). Newest checkpoint: {}. Once fixed, continue with:"
                    + " ./stride train {} --resume auto", job.runner.epoch(), job.runner.iter(), latest, config);
            throw e;
        }
        job.runner.model().close();
        if (outcome == RunOutcome.INTERRUPTED) {
            LOG.info("Interrupted; resume with: --resume auto");
            return "SIGINT".equals(job.runner.stopReason()) ? Main.SIGINT : Main.SIGTERM;
        }
        LOG.info("Done: {} (epoch {}, iter {})", outcome == RunOutcome.STOPPED ? "stopped by " + job.runner.stopReason()
                : "completed", job.runner.epoch(), job.runner.iter());
        return Main.DONE;
    }

    /** Resumes if asked; returns whether a checkpoint was restored. */
    private static boolean resume(Job job, Config cfg) {
        if (cfg.getIsNull("resume")) {
            return false;
        }
        String what = cfg.getString("resume");
        Path dir = job.plan.workDir;
        if (what.equals("auto")) {
            Optional<Path> found = CheckpointFiles.findResumable(dir, skipped -> LOG.warn("Skipped for resume: {}", skipped));
            if (found.isEmpty()) {
                LOG.info("No checkpoint to resume from in {}: starting from scratch", dir);
                return false;
            }
            job.runner.resume(found.get());
        } else {
            job.runner.resume(Path.of(what));
        }
        return true;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
