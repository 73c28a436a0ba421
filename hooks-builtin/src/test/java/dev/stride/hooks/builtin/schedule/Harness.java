package dev.stride.hooks.builtin.schedule;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.stride.hooks.builtin.testing.FakeLoader;
import dev.stride.hooks.builtin.training.OptimizerHook;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.ProviderKind;
import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.launcher.Options;
import dev.stride.launcher.Problems;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.runner.epoch.EpochRunnerProvider;
import dev.stride.runner.iter.IterRunnerProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drives a real epoch or iter runner with a fake model, a recording optimizer, the real optimizer
 * hook and schedule hooks built from HOCON the way the app builds them (merged onto the defaults
 * of {@code schedules.conf}).
 */
final class Harness {
    private final boolean iterRunner;
    private final long length;
    private final int batches;
    private final RecordingOptimizer optimizer = new RecordingOptimizer();
    private final List<String[]> hooks = new ArrayList<>();
    private Workflow workflow = Workflow.of(new Phase(Mode.TRAIN, 1));
    private Path workDir;
    private long stopAfter = -1;
    private Path resumeFrom;
    private Runner runner;

    private Harness(boolean iterRunner, long length, int batches) {
        this.iterRunner = iterRunner;
        this.length = length;
        this.batches = batches;
    }

    /** An epoch runner of {@code maxEpochs} epochs of {@code batches} iterations. */
    static Harness epochs(int maxEpochs, int batches) {
        return new Harness(false, maxEpochs, batches);
    }

    /** An iter runner of {@code maxIters} iterations over a loader of {@code batches} batches. */
    static Harness iters(long maxIters, int batches) {
        return new Harness(true, maxIters, batches);
    }

    /** MMCV's demo optimizer: SGD with lr 0.02 and momentum 0.95. */
    Harness mmcvSingle() {
        optimizer.group(0.02, 0.95);
        return this;
    }

    /** MMCV's demo multi-optimizer (model1: 0.02 / 0.95, model2: 0.01 / 0.9), as two param groups. */
    Harness mmcvMulti() {
        optimizer.group(0.02, 0.95).group(0.01, 0.9);
        return this;
    }

    Harness group(double lr, double momentum) {
        optimizer.group(lr, momentum);
        return this;
    }

    Harness lr(String hocon) {
        hooks.add(new String[] {"lr-schedule", hocon});
        return this;
    }

    Harness momentum(String hocon) {
        hooks.add(new String[] {"momentum-schedule", hocon});
        return this;
    }

    Harness workflow(Workflow w) {
        this.workflow = w;
        return this;
    }

    Harness workDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    /** Stops after {@code k} train iterations, writing a checkpoint into the work dir. */
    Harness stopAfter(long k) {
        this.stopAfter = k;
        return this;
    }

    Harness resumeFrom(Path checkpoint) {
        this.resumeFrom = checkpoint;
        return this;
    }

    /** Builds a hook of {@code type} from {@code hocon} as the app does. */
    static Hook hook(String type, String hocon) {
        HookProvider p = type.equals("lr-schedule") ? new LrScheduleProvider() : new MomentumScheduleProvider();
        Problems problems = new Problems();
        Config merged = Options.merge(ConfigFactory.parseString(hocon), "hooks[0]", "hook '" + type + "'",
                ProviderRegistry.defaults(ProviderKind.HOOK, p), Set.of("type", "priority"), problems);
        problems.throwIfAny("the test config");
        return p.create(merged);
    }

    static int priority(String type) {
        return (type.equals("lr-schedule") ? new LrScheduleProvider() : new MomentumScheduleProvider()).defaultPriority();
    }

    /** Runs and returns what the optimizer used at each step. */
    Recorded run() {
        try {
            Path dir = workDir != null ? workDir : Files.createTempDirectory("stride-schedule");
            Config options = ConfigFactory.parseMap(Map.of(iterRunner ? "max-iters" : "max-epochs", length));
            RunnerSettings s = RunnerSettings.builder(new FakeModel(), optimizer)
                    .workDir(dir).seed(7).options(options).build();
            runner = iterRunner ? new IterRunnerProvider().create(s) : new EpochRunnerProvider().create(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String[] h : hooks) {
            runner.registerHook(hook(h[0], h[1]), priority(h[0]));
        }
        runner.registerHook(new OptimizerHook(ConfigFactory.parseString("grad-clip{max-norm=0}, cumulative-iters=1")),
                Priority.ABOVE_NORMAL);
        if (stopAfter >= 0) {
            runner.registerHook(new Hook() {
                @Override
                public void afterTrainIter(Runner r) {
                    if (r.iter() + 1 == stopAfter) {
                        r.requestStop("test stop", true);
                    }
                }
            }, Priority.LOWEST);
        }
        if (resumeFrom != null) {
            runner.resume(resumeFrom);
        }
        RunOutcome outcome = runner.run(Map.of(Mode.TRAIN, new FakeLoader(batches, 1, 0), Mode.VAL, new FakeLoader(2, 1, 0)), workflow);
        return new Recorded(List.copyOf(optimizer.lrs), List.copyOf(optimizer.momenta), outcome);
    }

    Runner runner() {
        return runner;
    }

    /**
     * What the optimizer used, per step (index = MMCV's logged iteration - 1) and group.
     *
     * @param outcome how the run ended
     */
    record Recorded(List<double[]> lrs, List<double[]> momenta, RunOutcome outcome) {
        /** The lr of {@code group} at MMCV's logged iteration {@code step} (1-based). */
        double lr(int step, int group) {
            return lrs.get(step - 1)[group];
        }

        double momentum(int step, int group) {
            return momenta.get(step - 1)[group];
        }

        int steps() {
            return lrs.size();
        }
    }
}
