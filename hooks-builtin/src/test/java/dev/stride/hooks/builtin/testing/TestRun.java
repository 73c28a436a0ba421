package dev.stride.hooks.builtin.testing;

import com.typesafe.config.ConfigFactory;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.runner.epoch.EpochRunnerProvider;
import dev.stride.runner.iter.IterRunnerProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A real epoch or iter runner over a {@link FakeModel}, a {@link FakeOptimizer} and
 * {@link FakeLoader}s, with the hooks of the test registered in order, then the {@code optimizer}
 * hook, as the app adds it after the configured ones (the app's default {@code iter-timer} is not
 * added: tests that log times add it).
 */
public final class TestRun {
    private final boolean iterRunner;
    private final long length;
    private final Weights weights = new Weights();
    private final FakeModel model = new FakeModel(weights);
    private final FakeOptimizer optimizer = new FakeOptimizer(weights);
    private final List<Hooks.Planned> hooks = new ArrayList<>();
    private DataLoader train;
    private DataLoader val = new FakeLoader(2);
    private Workflow workflow = Workflow.of(new Phase(Mode.TRAIN, 1));
    private Path workDir;
    private boolean optimizerHook = true;
    private Runner runner;

    private TestRun(boolean iterRunner, long length, int batches) {
        this.iterRunner = iterRunner;
        this.length = length;
        this.train = new FakeLoader(batches);
    }

    /** An epoch runner of {@code maxEpochs} epochs of {@code batches} train batches. */
    public static TestRun epochs(int maxEpochs, int batches) {
        return new TestRun(false, maxEpochs, batches);
    }

    /** An iter runner of {@code maxIters} iterations over a loader of {@code batches} batches. */
    public static TestRun iters(long maxIters, int batches) {
        return new TestRun(true, maxIters, batches);
    }

    public TestRun in(Path dir) {
        this.workDir = dir;
        return this;
    }

    /** Phases as {@code (mode, count)} pairs, e.g. {@code workflow(TRAIN, 1, VAL, 1)}. */
    public TestRun workflow(Object... modeCountPairs) {
        List<Phase> phases = new ArrayList<>();
        for (int i = 0; i < modeCountPairs.length; i += 2) {
            phases.add(new Phase((Mode) modeCountPairs[i], (Integer) modeCountPairs[i + 1]));
        }
        this.workflow = new Workflow(phases);
        return this;
    }

    public TestRun trainLoader(DataLoader loader) {
        this.train = loader;
        return this;
    }

    public TestRun valLoader(DataLoader loader) {
        this.val = loader;
        return this;
    }

    /** Adds a built-in hook built from HOCON; {@code priority} in it is honoured as the app does. */
    public TestRun hook(String type, String hocon) {
        hooks.add(Hooks.plan(type, hocon));
        return this;
    }

    public TestRun hook(String type) {
        return hook(type, "");
    }

    public TestRun hook(Hook hook, int priority) {
        hooks.add(new Hooks.Planned(hook, priority));
        return this;
    }

    public TestRun hook(Hook hook, Priority priority) {
        return hook(hook, priority.value());
    }

    /** Leaves out the optimizer hook the app adds by default. */
    public TestRun withoutOptimizerHook() {
        this.optimizerHook = false;
        return this;
    }

    public FakeModel model() {
        return model;
    }

    public FakeOptimizer optimizer() {
        return optimizer;
    }

    public Weights weights() {
        return weights;
    }

    public Path workDir() {
        return workDir;
    }

    /** The runner, created with the hooks on first call. */
    public Runner runner() {
        if (runner == null) {
            if (workDir == null) {
                throw new IllegalStateException("call in(workDir) first");
            }
            String key = iterRunner ? "max-iters" : "max-epochs";
            RunnerSettings settings = RunnerSettings.builder(model, optimizer)
                    .workDir(workDir).seed(42).options(ConfigFactory.parseMap(Map.of(key, length))).build();
            runner = iterRunner ? new IterRunnerProvider().create(settings) : new EpochRunnerProvider().create(settings);
            for (Hooks.Planned h : hooks) {
                runner.registerHook(h.hook(), h.priority());
            }
            if (optimizerHook) {
                Hooks.Planned o = Hooks.plan("optimizer", "");
                runner.registerHook(o.hook(), o.priority());
            }
        }
        return runner;
    }

    /** Resumes from {@code checkpoint} before running. */
    public TestRun resume(Path checkpoint) {
        runner().resume(checkpoint);
        return this;
    }

    public RunOutcome run() {
        Map<Mode, DataLoader> loaders = new EnumMap<>(Mode.class);
        loaders.put(Mode.TRAIN, train);
        if (val != null) {
            loaders.put(Mode.VAL, val);
        }
        return runner().run(loaders, workflow);
    }
}
