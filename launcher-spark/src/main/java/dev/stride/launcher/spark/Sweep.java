package dev.stride.launcher.spark;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import dev.stride.launcher.ConfiguredJob;
import dev.stride.launcher.ProviderRegistry;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code stride sweep}, on the driver: checks every trial's config, runs one Spark task per
 * trial, then writes {@code sweep.csv} and {@code sweep.png} into the sweep's work dir.
 */
final class Sweep {
    private static final Logger LOG = LoggerFactory.getLogger("stride");

    private Sweep() {}

    /** @return the exit status */
    static int run(Path configFile, Config job, Grid grid, List<Path> plugins, DistOptions dist) {
        String subject = "The config " + configFile;
        Config config = SweepSpec.withJsonLogger(DriverPaths.absolute(job));
        Path sweepDir = Path.of(config.getString("work-dir"));
        List<Trial> trials = grid.trials();
        SweepSpec spec = new SweepSpec(config.root().render(ConfigRenderOptions.concise()),
                plugins.stream().map(p -> p.toAbsolutePath().toString()).toList(), sweepDir.toString(), subject,
                InjectedFault.fromEnvironment("trial"));
        ProviderRegistry registry = ConfiguredJob.registry(plugins, true);
        for (Trial t : trials) {
            ConfiguredJob.check(spec.configFor(t), registry, subject + " with " + String.join(" ", t.overrides()));
        }
        DriverPaths.prepareWorkDir(sweepDir);
        int slots = Math.min(trials.size(), Runtime.getRuntime().availableProcessors());
        String master = dist.master() != null ? dist.master() : System.getProperty("spark.master",
                "local[" + slots + "," + dist.maxAttempts() + "]");
        if (dist.onSpark() && dist.workers() > 1) {
            LOG.warn("A sweep trains each trial in one task: dist.workers = {} is not used", dist.workers());
        }
        LOG.info("Sweep of {} trials on Spark (master {}) into {}", trials.size(), master, sweepDir);
        long start = System.nanoTime();
        List<TrialResult> results;
        try (SparkApp app = SparkApp.start("stride sweep " + configFile.getFileName(), master, dist.maxAttempts(),
                dist.timeout(), dist.sparkConf())) {
            app.context().sc().addSparkListener(new RetryNotices("trial"));
            results = app.context().parallelize(trials, trials.size()).map(new TrialTask(spec)).collect().stream()
                    .sorted(Comparator.comparingInt(r -> r.trial().index())).toList();
        } catch (Exception e) { // Scala's SparkException is checked in Java but not declared
            if (e instanceof RuntimeException r) {
                throw r;
            }
            LOG.error("The sweep failed on Spark: {} Every trial keeps its checkpoints: once the cause is fixed, run the"
                    + " same sweep again to finish the others.", SparkFailure.describe(e));
            return 1;
        }
        for (TrialResult r : results) {
            LOG.info(String.format(Locale.ROOT, "%s: %s at iter %d, train loss %.4f, val accuracy %.4f, %d attempt(s)%s",
                    r.trial().name(), r.outcome(), r.iter(), TrainingCurves.last(r.curves().trainLoss()),
                    TrainingCurves.last(r.curves().valAccuracy()), r.attempt() + 1,
                    r.resumedFrom() == null ? "" : ", resumed from " + r.resumedFrom()));
        }
        Path table = SweepTable.write(sweepDir, grid, results);
        Path chart = SweepChart.write(sweepDir, results);
        LOG.info(String.format(Locale.ROOT, "Done: %d trials in %.1f s; results in %s and %s", results.size(),
                (System.nanoTime() - start) / 1e9, table, chart));
        return 0;
    }
}
