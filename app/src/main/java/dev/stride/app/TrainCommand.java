package dev.stride.app;

import com.typesafe.config.Config;
import dev.stride.launcher.Failures;
import dev.stride.launcher.ModelWeights;
import dev.stride.launcher.Problems;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.launcher.job.Job;
import dev.stride.launcher.job.JobConfig;
import dev.stride.launcher.job.JobPlan;
import dev.stride.launcher.job.Preloads;
import dev.stride.launcher.job.LoadFrom;
import dev.stride.launcher.job.Plugins;
import dev.stride.launcher.job.ResumeChanges;
import dev.stride.launcher.job.Signals;
import dev.stride.launcher.job.WorkDir;
import dev.stride.launcher.job.WorkDirLock;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.ModelSummary;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

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

    @Option(names = "--resume-with-changes",
            description = "With --resume: continue even when the seed, workflow, runner type or data settings differ from"
                    + " the checkpoint's (the run is then no exact continuation).")
    boolean resumeWithChanges;

    @Spec
    CommandSpec spec;

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
        JobConfig.Loaded loaded = JobConfig.read(config, overrides);
        Config cfg = loaded.resolved();
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
        JobPlan plan = JobPlan.of(loaded, registry, subject);
        String resumeFrom = cfg.getIsNull("resume") ? null : cfg.getString("resume");
        Path resumeFile = resumeFrom == null || resumeFrom.equals("auto") ? null : Path.of(resumeFrom);
        if (!dryRun) {
            WorkDirLock.checkFree(plan.workDir); // a second run is refused before it loads anything
        }
        if (resumeFile != null) {
            checkChanges(resumeFile, plan);
        }
        Preloads.start(); // the job is valid: the engine loads while the data is read
        LOG.info("Java {}: {}", Runtime.version(), System.getProperty("stride.jvm.policy",
                "JIT and collector as the JVM chose (" + Runtime.getRuntime().availableProcessors() + " cores)"));
        Job job = Job.build(plan, subject);
        LoadFrom weights = LoadFrom.of(cfg, loadFrom);
        ModelSummary summary = job.runner.model().summary();
        if (summary != null) {
            summary = new ModelSummary(plan.model.provider().name(), summary.layers(), summary.input(), summary.output(),
                    summary.parameters(), summary.trainable());
            LOG.info("{}", summary.table().stripTrailing());
        }
        if (dryRun) {
            try {
                Map<String, Double> first = job.rehearse();
                LOG.info("Dry run: the config is valid; {} runner, workflow {}, {} hooks, {} train batches per epoch;"
                        + " a first step on real batches gives {}", job.runner.name(), plan.workflow, job.runner.hooks().size(),
                        job.loaders.get(dev.stride.runner.api.Mode.TRAIN).batchesPerEpoch(), first.entrySet().stream().map(e -> e.getKey() + " " + String.format(java.util.Locale.ROOT, "%.4g", e.getValue()))
                        .collect(java.util.stream.Collectors.joining(", ")));
            } finally {
                job.runner.model().close();
            }
            return Main.DONE;
        }
        try (WorkDir.Held held = WorkDir.open(plan.workDir, plan.checkpointDirs, commandLine())) {
            return train(job, plan, resumeFrom, resumeFile, weights);
        }
    }

    private int train(Job job, JobPlan plan, String resumeFrom, Path resumeFile, LoadFrom weights) {
        Path from = resumeFile;
        if ("auto".equals(resumeFrom)) {
            from = CheckpointFiles.findResumable(plan.workDir, plan.checkpointDirs,
                    skipped -> LOG.warn("Skipped for resume: {}", skipped)).orElse(null);
            if (from == null) {
                LOG.info("No checkpoint to resume from in {}: starting from scratch", folders(plan));
            } else {
                checkChanges(from, plan);
            }
        }
        if (from != null) {
            job.runner.resume(from);
            if (weights != null) {
                LOG.info("Both resume and load-from are set: resuming; load-from {} is ignored", weights.file());
            }
        } else {
            if (weights != null) {
                ModelWeights.Report report = ModelWeights.load(job.runner.model(), weights.file(), weights.strict(), weights.revise());
                LOG.info("Loaded {} tensors from {}", report.loaded().size(), weights.file());
                if (!report.missing().isEmpty() || !report.unexpected().isEmpty()) {
                    LOG.warn("load-from (strict = false): not in the file, kept as initialised: {}; in the file, not in the model: {}",
                            report.missing(), report.unexpected());
                }
            }
            WorkDir.setAside(plan.workDir, plan.checkpointDirs, "auto".equals(resumeFrom)
                    ? "none of them could be resumed (see above), and this run starts from scratch"
                    : "this run starts from scratch (--resume auto would have continued from the newest one that verifies)");
        }
        WorkDir.writeConfig(plan.workDir, plan.recorded, commandLine());
        Signals.install(job.runner);
        LOG.info("Training {} with the {} runner, workflow {}, seed {}, work dir {}", plan.model.provider().name(),
                job.runner.name(), plan.workflow, plan.seed, plan.workDir);
        RunOutcome outcome;
        try {
            outcome = job.runner.run(job.loaders, plan.workflow);
        } catch (RuntimeException | Error e) {
            String latest = CheckpointFiles.latest(plan.workDir).map(Path::toString).orElse("none yet");
            LOG.error("Training stopped at epoch {}, iter {} by an error (below). Newest checkpoint: {}. Once fixed, continue with:"
                    + " ./stride train {} --resume auto", job.runner.epoch(), job.runner.iter(), latest, config);
            throw e;
        }
        job.runner.model().close();
        if (outcome == RunOutcome.INTERRUPTED) {
            LOG.info("Interrupted; resume with: --resume auto");
            return switch (String.valueOf(job.runner.stopReason())) {
                case "SIGINT" -> Main.SIGINT;
                case "SIGHUP" -> Failures.SIGHUP;
                default -> Main.SIGTERM;
            };
        }
        LOG.info("Done: {} (epoch {}, iter {})", outcome == RunOutcome.STOPPED ? "stopped by " + job.runner.stopReason()
                : "completed", job.runner.epoch(), job.runner.iter());
        return Main.DONE;
    }

    /**
     * Refuses to resume from a checkpoint written with another seed, workflow, runner type or data
     * settings (the run would continue neither the old run nor a new one exactly), unless
     * {@code --resume-with-changes} says so.
     */
    private void checkChanges(Path checkpoint, JobPlan plan) {
        List<String> changes = ResumeChanges.between(checkpoint, plan);
        if (changes.isEmpty()) {
            return;
        }
        if (resumeWithChanges) {
            LOG.warn("Resuming from {} with changed settings (--resume-with-changes), so this run is no exact continuation: {}",
                    checkpoint, String.join("; ", changes));
            return;
        }
        throw new BadInputException("the checkpoint " + checkpoint + " was written with other settings than this run has,"
                + " so resuming would continue it only approximately:\n  - " + String.join("\n  - ", changes)
                + "\nResume with the checkpoint's settings, or add --resume-with-changes to continue anyway (not bit-exact).");
    }

    private static String folders(JobPlan plan) {
        return plan.checkpointDirs.size() == 1 ? plan.workDir.toString()
                : String.join(", ", plan.checkpointDirs.stream().map(Path::toString).toList());
    }

    /** This command as typed, for the lock file: what a second run in the same work dir is told. */
    private String commandLine() {
        List<String> args = spec.commandLine().getParseResult() == null ? List.of()
                : spec.commandLine().getParseResult().originalArgs();
        StringBuilder sb = new StringBuilder("stride"); // the arguments begin with the command, train
        for (String a : args) {
            sb.append(' ').append(a.isEmpty() || a.matches(".*[\\s\"'$].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
