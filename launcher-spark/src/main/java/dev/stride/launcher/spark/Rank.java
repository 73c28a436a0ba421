package dev.stride.launcher.spark;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.stride.launcher.ConfiguredJob;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Tensor;
import dev.stride.launcher.ProviderRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one rank of a data-parallel run does inside its Spark task: rank 0 starts the allreduce
 * tracker and picks the checkpoint every rank resumes from; all ranks learn both from rank 0,
 * join the collective, build the same job on their shard of the train data, and train with the
 * gradient allreduce hook.
 */
final class Rank {
    private static final Logger LOG = LoggerFactory.getLogger(Rank.class);

    private final TrainingSpec spec;
    private final int rank;
    private final int attempt;
    private final RankGroup group;

    Rank(TrainingSpec spec, int rank, int attempt, RankGroup group) {
        this.spec = spec;
        this.rank = rank;
        this.attempt = attempt;
        this.group = group;
    }

    RankReport train() {
        int workers = spec.dist().workers();
        Runnable cancelled = group::checkCancelled;
        Tracker tracker = null;
        Collective collective = null;
        ConfiguredJob job = null;
        try {
            String message = "";
            if (rank == 0) {
                tracker = Tracker.start(workers, group.hostOfRank0(), spec.dist().timeout());
                Path resume = ResumePoint.choose(spec.parse(), attempt);
                message = new StartMessage(tracker.workerArgs(), resume == null ? "" : resume.toString()).toText();
            }
            StartMessage start = StartMessage.parse(group.allGather(message)[0]);
            Collective joined = Collective.join(start.trackerArgs(), rank, workers, spec.dist().timeout(), cancelled);
            collective = joined;
            Config config = spec.configFor(rank);
            ProviderRegistry registry = RankedRunners.of(ConfiguredJob.registry(spec.plugins(), false), rank, workers,
                    joined::sum, spec.valSplit());
            String problem = null;
            CollectorLock.take(cancelled);
            try {
                job = ConfiguredJob.build(config, registry, spec.subject());
                if (spec.valSplit() && !job.runner().valSplit()) {
                    // a runner of its own (not on BaseRunner) that ignores RunnerSettings.valSplit would report each rank's share
                    throw new BadInputException("runner '" + job.runner().name() + "' does not sum the val data the ranks"
                            + " split (Runner.valSplit is false): set dist.split-val = false, or build the runner on BaseRunner");
                }
            } catch (BadInputException e) {
                problem = e.getMessage(); // what only a rank can see: its shard of the data
            } finally {
                CollectorLock.release();
            }
            // every rank learns whether any could not build its job: then all stop, and Spark does not retry a mistake
            double[] refused = {problem == null ? 0 : 1};
            joined.sum(refused);
            if (refused[0] > 0) {
                collective.close();
                collective = null;
                group.barrier();
                return RankReport.refused(rank, attempt, group.host(), ProcessHandle.current().pid(), problem);
            }
            Runner runner = job.runner();
            GradientAllreduceHook allreduce = new GradientAllreduceHook(collective, spec.dist().mean(), cancelled);
            runner.registerHook(new CollectorLock.Turns(cancelled), Priority.HIGHEST);
            runner.registerHook(allreduce, GradientAllreduceHook.PRIORITY);
            Hook fault = spec.fault() == null ? null : spec.fault().hookFor(rank, attempt);
            if (fault != null) {
                runner.registerHook(fault, GradientAllreduceHook.PRIORITY - 1);
            }
            String resumedFrom = start.resume().isEmpty() ? null : start.resume();
            if (resumedFrom != null) {
                runner.resume(Path.of(resumedFrom));
            } else if (job.loadWeights()) {
                LOG.info("Rank {}: loaded the weights of load-from", rank);
            }
            LOG.info("Rank {} of {} (attempt {}) trains {} on shard {} of data.train{}{}", rank, workers, attempt, job.modelType(),
                    rank, spec.valSplit() ? " and data.val" : "", resumedFrom == null ? "" : ", resumed from " + resumedFrom);
            RunOutcome outcome = runner.run(job.loaders(), job.workflow());
            CollectorLock.releaseAll();
            Timings sums = collective.stats();
            RankReport report = new RankReport(rank, attempt, group.host(), ProcessHandle.current().pid(), runner.epoch(),
                    runner.iter(), outcome.name(), digest(runner), resumedFrom, sums.count(), sums.floats(), sums.meanMillis(),
                    sums.medianMillis(), sums.maxMillis(), allreduce.iterations().medianMillis(), allreduce.valPhases(),
                    allreduce.valSeconds(), null);
            collective.close();
            collective = null;
            group.barrier();
            return report;
        } finally {
            CollectorLock.releaseAll();
            if (collective != null) {
                collective.close();
            }
            if (tracker != null) {
                tracker.close();
            }
            if (job != null) {
                job.runner().model().close();
            }
        }
    }

    /** A SHA-256 of the model's tensors in name order. */
    private static String digest(Runner runner) {
        Checkpoint.Section params = new Checkpoint().section("", "");
        runner.model().saveState(params);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String name : params.tensorNames().stream().sorted().toList()) {
                Tensor t = params.tensor(name);
                md.update(name.getBytes(StandardCharsets.UTF_8));
                md.update(t.data());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The group of ranks as Spark's barrier task context offers it. */
    interface RankGroup {
        /** Every rank's message, by rank; blocks until all ranks sent theirs. */
        String[] allGather(String message);

        /** Blocks until every rank called it. */
        void barrier();

        /** The host rank 0 runs on (where the tracker listens). */
        String hostOfRank0();

        /** The host this rank runs on. */
        String host();

        /** Throws when Spark killed this task (another rank failed). */
        void checkCancelled();
    }

    /** The first message of rank 0: how to join the collective, and the checkpoint to resume from ("" for none). */
    record StartMessage(Map<String, Object> trackerArgs, String resume) {
        String toText() {
            return ConfigValueFactory.fromMap(Map.of("tracker", trackerArgs, "resume", resume))
                    .render(ConfigRenderOptions.concise());
        }

        static StartMessage parse(String text) {
            Config c = ConfigFactory.parseString(text);
            return new StartMessage(c.getConfig("tracker").root().unwrapped(), c.getString("resume"));
        }
    }
}
