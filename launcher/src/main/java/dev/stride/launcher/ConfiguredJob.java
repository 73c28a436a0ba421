package dev.stride.launcher;

import com.typesafe.config.Config;
import dev.stride.launcher.job.Job;
import dev.stride.launcher.job.JobConfig;
import dev.stride.launcher.job.JobPlan;
import dev.stride.launcher.job.LoadFrom;
import dev.stride.launcher.job.Plugins;
import dev.stride.launcher.job.WorkDir;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Workflow;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A job built from a config exactly as {@code stride train} builds it (the same config loading,
 * checks, defaults and messages), for launchers that run on the class path: launcher-spark builds
 * one per rank or trial.
 *
 * <p>The one public entry of the app module besides the command line: the planning classes behind it
 * stay package-private.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class ConfiguredJob {
    private final Job job;

    private ConfiguredJob(Job job) {
        this.job = job;
    }

    /** The config file with {@code --set} overrides on top and the job defaults below, resolved. */
    public static Config load(Path file, List<String> sets) {
        return JobConfig.load(file, sets);
    }

    /** One {@code key=value} override as a config, exactly as {@code --set} reads it. */
    public static Config override(String set) {
        return JobConfig.override(set);
    }

    /** The config's plugin folders, each relative to the file that names it. */
    public static List<Path> pluginDirs(Config config) {
        return JobConfig.pluginDirs(config);
    }

    /** Every provider of the class path and of the plugin folders; logs what was found when {@code announce}. */
    public static ProviderRegistry registry(List<Path> pluginDirs, boolean announce) {
        List<Path> folders = Plugins.folders(pluginDirs);
        return announce ? Plugins.registry(folders) : Plugins.load(folders);
    }

    /**
     * Checks the whole config against the providers without loading data.
     *
     * @throws dev.stride.runner.api.BadInputException listing every problem, with file and line
     */
    public static void check(Config config, ProviderRegistry registry, String subject) {
        JobPlan.of(config, registry, subject);
    }

    /** Plans and builds the job: data loaded, model, optimizer, runner created, hooks registered. */
    public static ConfiguredJob build(Config config, ProviderRegistry registry, String subject) {
        return new ConfiguredJob(Job.build(JobPlan.of(config, registry, subject), subject));
    }

    public Runner runner() {
        return job.runner;
    }

    public Map<Mode, DataLoader> loaders() {
        return job.loaders;
    }

    public Workflow workflow() {
        return job.plan.workflow;
    }

    public Path workDir() {
        return job.plan.workDir;
    }

    /** The {@code type} of the model section, for messages. */
    public String modelType() {
        return job.plan.model.provider().name();
    }

    /**
     * Loads the weights the config's {@code load-from} names into the model, as {@code stride train}
     * does for a run that does not resume.
     *
     * @return whether there was something to load
     */
    public boolean loadWeights() {
        LoadFrom from = LoadFrom.of(job.plan.config, null);
        if (from == null) {
            return false;
        }
        ModelWeights.load(job.runner.model(), from.file(), from.strict(), from.revise());
        return true;
    }

    /** Creates the work dir, checks that it can be written, removes what a killed run left, as {@code stride train} does. */
    public static void prepareWorkDir(Path dir) {
        WorkDir.prepare(dir);
    }

    /** Reports a failure as {@code stride} does and returns the exit status (2 for the user's mistakes). */
    public static int report(Throwable e, PrintWriter err) {
        return Failures.report(e, err);
    }
}
