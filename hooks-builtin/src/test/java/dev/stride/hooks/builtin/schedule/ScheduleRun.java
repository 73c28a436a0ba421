package dev.stride.hooks.builtin.schedule;

import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.testkit.FakeLoader;
import dev.stride.runner.testkit.FakeModel;
import dev.stride.runner.testkit.FakeOptimizer;
import dev.stride.runner.testkit.Harness;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run of the schedule hooks on a real epoch or iter runner (the testkit's {@link Harness}): a
 * {@link FakeModel} whose steps all report a loss of 1, a {@link FakeOptimizer} with MMCV's demo
 * parameter groups, which records the lr and momentum each step used, the default optimizer hook,
 * and schedule hooks built from HOCON the way the app builds them (merged onto the defaults of
 * {@code schedules.conf}).
 */
final class ScheduleRun {
    private final boolean iterRunner;
    private final long length;
    private final int batches;
    private final List<double[]> groups = new ArrayList<>();
    private final List<String[]> hooks = new ArrayList<>();
    private Workflow workflow = Harness.parseWorkflow("[[train, 1]]");
    private Path workDir;
    private long stopAfter = -1;
    private Path resumeFrom;
    private Harness harness;

    private ScheduleRun(boolean iterRunner, long length, int batches) {
        this.iterRunner = iterRunner;
        this.length = length;
        this.batches = batches;
    }

    /** An epoch runner of {@code maxEpochs} epochs of {@code batches} iterations. */
    static ScheduleRun epochs(int maxEpochs, int batches) {
        return new ScheduleRun(false, maxEpochs, batches);
    }

    /** An iter runner of {@code maxIters} iterations over a loader of {@code batches} batches. */
    static ScheduleRun iters(long maxIters, int batches) {
        return new ScheduleRun(true, maxIters, batches);
    }

    /** MMCV's demo optimizer: SGD with lr 0.02 and momentum 0.95. */
    ScheduleRun mmcvSingle() {
        groups.add(new double[] {0.02, 0.95});
        return this;
    }

    /** MMCV's demo multi-optimizer (model1: 0.02 / 0.95, model2: 0.01 / 0.9), as two param groups. */
    ScheduleRun mmcvMulti() {
        groups.add(new double[] {0.02, 0.95});
        groups.add(new double[] {0.01, 0.9});
        return this;
    }

    ScheduleRun lr(String hocon) {
        hooks.add(new String[] {"lr-schedule", hocon});
        return this;
    }

    ScheduleRun momentum(String hocon) {
        hooks.add(new String[] {"momentum-schedule", hocon});
        return this;
    }

    ScheduleRun workflow(Workflow w) {
        this.workflow = w;
        return this;
    }

    ScheduleRun workDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    /** Stops after {@code k} train iterations, writing a checkpoint into the work dir. */
    ScheduleRun stopAfter(long k) {
        this.stopAfter = k;
        return this;
    }

    ScheduleRun resumeFrom(Path checkpoint) {
        this.resumeFrom = checkpoint;
        return this;
    }

    /** Builds a hook of {@code type} from {@code hocon} as the app does. */
    static Hook hook(String type, String hocon) {
        return Harness.newHook(type, hocon);
    }

    /** Runs and returns what the optimizer used at each step. */
    Recorded run() {
        Harness h = iterRunner ? Harness.iters(length) : Harness.epochs((int) length);
        FakeModel model = new FakeModel().losses(n -> 1.0).valResults(n -> Map.of("loss", 1.0, "accuracy", 0.5));
        FakeOptimizer optimizer = new FakeOptimizer(model, groups.get(0)[0], groups.get(0)[1]);
        groups.stream().skip(1).forEach(g -> optimizer.group(g[0], g[1]));
        h.seed(7).workflow(workflow).model(model).optimizer(optimizer)
                .train(FakeLoader.of(batches, 1)).val(FakeLoader.of(2, 1));
        if (workDir != null) {
            h.in(workDir);
        }
        for (String[] hook : hooks) {
            h.hook(hook[0], hook[1]);
        }
        if (stopAfter >= 0) {
            h.hook(new Hook() {
                @Override
                public void afterTrainIter(Runner r) {
                    if (r.iter() + 1 == stopAfter) {
                        r.requestStop("test stop", true);
                    }
                }
            }, Priority.LOWEST);
        }
        if (resumeFrom != null) {
            h.resume(resumeFrom);
        }
        harness = h;
        RunOutcome outcome = h.run();
        return new Recorded(List.copyOf(optimizer.lrs()), List.copyOf(optimizer.momenta()), outcome);
    }

    Runner runner() {
        return harness.runner();
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
