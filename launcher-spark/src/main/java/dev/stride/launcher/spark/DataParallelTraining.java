package dev.stride.launcher.spark;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import dev.stride.launcher.ConfiguredJob;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.spi.ProviderKind;
import dev.stride.launcher.ProviderRegistry;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * {@code stride train} with {@code dist.type = spark}, on the driver: checks the config, prepares
 * the work dir, runs one barrier stage of {@code dist.workers} tasks (one rank each), and checks
 * that every rank ended with the same weights.
 *
 * <p>The stage feeds a shuffle (as a Spark map stage), because Spark retries a failed barrier
 * map stage but aborts a failed barrier result stage.
 */
final class DataParallelTraining {
    private static final Logger LOG = LoggerFactory.getLogger("stride");

    private DataParallelTraining() {}

    /** @return the exit status */
    static int run(Path configFile, Config job, List<Path> plugins, DistOptions dist, boolean dryRun) {
        String subject = "The config " + configFile;
        Config config = DriverPaths.absolute(job);
        ProviderRegistry registry = ConfiguredJob.registry(plugins, true);
        checkShardable(config, registry);
        boolean valSplit = splitsVal(config, registry, dist);
        ConfiguredJob.check(TrainingSpec.sharded(config, 0, dist.workers(), valSplit), registry, subject);
        String master = dist.masterOr(System.getProperty("spark.master"));
        int slots = SparkApp.slots(master);
        if (slots >= 0 && slots < dist.workers()) {
            throw new BadInputException("dist.master = " + master + " runs " + slots + " task(s) at a time, but the "
                    + dist.workers() + " ranks of dist.workers must all run together: use local[" + dist.workers()
                    + "] or local-cluster[" + dist.workers() + ",1,1024], or fewer workers");
        }
        if (dryRun) {
            LOG.info("Dry run: the config is valid; it would train on {} ranks, master {}", dist.workers(), master);
            return 0;
        }
        Path workDir = Path.of(config.getString("work-dir"));
        DriverPaths.prepareWorkDir(workDir);
        TrainingSpec spec = new TrainingSpec(config.root().render(ConfigRenderOptions.concise()),
                plugins.stream().map(p -> p.toAbsolutePath().toString()).toList(), dist, valSplit, subject,
                InjectedFault.fromEnvironment("rank"));
        LOG.info("Training data-parallel on {} ranks (Spark master {}), global batch {} x {}, work dir {}", dist.workers(),
                master, config.hasPath("data.train.batch-size") ? config.getInt("data.train.batch-size") : "?",
                dist.workers(), workDir);
        long start = System.nanoTime();
        List<RankReport> reports;
        try (SparkApp app = SparkApp.start("stride train " + configFile.getFileName(), master, dist.maxAttempts(),
                dist.timeout(), dist.sparkConf())) {
            app.context().sc().addSparkListener(new RetryNotices("rank"));
            reports = trainOnRanks(app, spec);
        } catch (Exception e) { // Scala's SparkException is checked in Java but not declared
            if (e instanceof RuntimeException r) {
                throw r;
            }
            LOG.error("Training failed on Spark: {} Newest checkpoint: {}. Once the cause is fixed, continue with the same"
                    + " command and --resume auto.", SparkFailure.describe(e),
                    CheckpointFiles.latest(workDir).map(Path::toString).orElse("none yet"));
            return 1;
        }
        return summarize(reports, (System.nanoTime() - start) / 1e9);
    }

    private static List<RankReport> trainOnRanks(SparkApp app, TrainingSpec spec) {
        int n = spec.dist().workers();
        ClassTag<RankReport> tag = ClassTag$.MODULE$.apply(RankReport.class);
        RDD<Integer> ranks = app.context().parallelize(IntStream.range(0, n).boxed().toList(), n).rdd();
        RDD<RankReport> trained = ranks.barrier().mapPartitions(new RankTask(spec), false, tag);
        return new JavaRDD<>(trained, tag).repartition(1).collect().stream()
                .sorted(Comparator.comparingInt(RankReport::rank)).toList();
    }

    private static int summarize(List<RankReport> reports, double seconds) {
        List<String> problems = reports.stream().map(RankReport::problem).filter(java.util.Objects::nonNull).distinct().toList();
        if (!problems.isEmpty()) {
            // bad input only a rank could see (its shard of the data): every rank stopped before training
            String ranks = reports.stream().filter(r -> r.problem() != null).map(r -> String.valueOf(r.rank()))
                    .collect(java.util.stream.Collectors.joining(", "));
            throw new BadInputException(String.join("\n", problems) + "\nNo rank trained: rank(s) " + ranks
                    + " could not build the job from their shard of the data.");
        }
        for (RankReport r : reports) {
            LOG.info(String.format(Locale.ROOT, "rank %d (host %s, pid %d, attempt %d): %s at epoch %d, iter %d; %d allreduces"
                    + " of %d floats: mean %.3f ms, median %.3f ms, max %.3f ms; train iteration median %.3f ms%s%s",
                    r.rank(), r.host(), r.pid(), r.attempt() + 1, r.outcome(), r.epoch(), r.iter(), r.allreduces(), r.floats(),
                    r.allreduceMeanMillis(), r.allreduceMedianMillis(), r.allreduceMaxMillis(), r.iterationMillis(),
                    r.valPhases() == 0 ? "" : String.format(Locale.ROOT, "; %d val phases in %.2f s", r.valPhases(), r.valSeconds()),
                    r.resumedFrom() == null ? "" : "; resumed from " + r.resumedFrom()));
        }
        long distinct = reports.stream().map(RankReport::weights).distinct().count();
        if (distinct != 1) {
            LOG.error("The ranks ended with different weights ({} distinct): this is a bug of Stride's data-parallel training",
                    distinct);
            return 1;
        }
        RankReport r0 = reports.get(0);
        LOG.info(String.format(Locale.ROOT, "Done: %d ranks in %.1f s, epoch %d, iter %d; every rank holds the same weights"
                + " (sha256 %s...)", reports.size(), seconds, r0.epoch(), r0.iter(), r0.weights().substring(0, 12)));
        return 0;
    }

    /**
     * Whether each rank validates its share of data.val: with {@code dist.split-val} (the default),
     * when the val data set has shard and shards options and keeps its last short batch (the shards
     * together then see every sample once). Says on the log which it is and why.
     */
    static boolean splitsVal(Config config, ProviderRegistry registry, DistOptions dist) {
        if (!config.hasPath("data.val.type") || dist.workers() == 1) {
            return false;
        }
        String type = config.getString("data.val.type");
        Config defaults = registry.find(ProviderKind.DATASET, type)
                .map(e -> ProviderRegistry.defaults(ProviderKind.DATASET, e.provider())).orElse(null);
        String whole;
        if (!dist.splitVal()) {
            whole = "dist.split-val = false";
        } else if (defaults == null) {
            return false; // the full check reports the unknown type
        } else if (!defaults.hasPath("shard") || !defaults.hasPath("shards")) {
            whole = "the '" + type + "' data set cannot be split (it has no shard and shards options)";
        } else if (dropsLast(config.getConfig("data.val").withFallback(defaults))) {
            whole = "data.val has drop-last = true (split among the ranks, it would drop other samples)";
        } else {
            LOG.info("Val: each rank validates 1/{} of data.val, and the ranks add their sums (dist.split-val)", dist.workers());
            return true;
        }
        LOG.info("Val: every rank validates all of data.val: {}", whole);
        return false;
    }

    /** Whether a data section drops its last short batch; a data set without the option keeps it. */
    private static boolean dropsLast(Config section) {
        try {
            return section.hasPath("drop-last") && section.getBoolean("drop-last");
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            return false; // the full check names the bad value with its line
        }
    }

    /** The train data set must offer shard and shards. */
    private static void checkShardable(Config config, ProviderRegistry registry) {
        if (!config.hasPath("data.train.type")) {
            return; // the full check reports it
        }
        String type = config.getString("data.train.type");
        registry.find(ProviderKind.DATASET, type).ifPresent(e -> {
            Config defaults = ProviderRegistry.defaults(ProviderKind.DATASET, e.provider());
            if (!defaults.hasPath("shard") || !defaults.hasPath("shards")) {
                throw new BadInputException("data.train: the '" + type + "' data set cannot be split among ranks (it has no"
                        + " shard and shards options), so it cannot train with dist.type = spark. Use a data set that has"
                        + " them, e.g. mnist-idx or synthetic, or train with dist.type = none.");
            }
        });
    }
}
