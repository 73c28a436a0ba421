package dev.stride.runner.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.ProviderKind;
import dev.stride.runner.api.spi.RunnerProvider;
import dev.stride.runner.api.spi.RunnerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Runs hooks on a real runner, found by name, over the fakes (or the model, optimizer and loaders a
 * test passes), and records every stage call with the counters the hooks saw.
 *
 * <pre>{@code
 * Harness h = Harness.epochs(2, 4).in(dir)          // the 'epoch' runner, 2 epochs of 4 train batches
 *         .workflow("[[train, 1], [val, 1]]")
 *         .hook("checkpoint", "interval = 1");        // built by name from HOCON, as in a config file
 * h.model().losses(n -> 1.0 / (n + 1));               // scripted train losses
 * assertEquals(RunOutcome.COMPLETED, h.run());
 * assertEquals("afterTrainEpoch train e0 i4 in3", h.calls().get(10).toString());
 * }</pre>
 *
 * <p><b>Runners</b> are found by name with {@link java.util.ServiceLoader} when the runner is built:
 * {@code epoch} needs {@code dev.stride:runner-epoch} on the test class path, {@code iter}
 * {@code dev.stride:runner-iter}; a missing one is an {@link IllegalStateException} saying which
 * artifact to add. Their options are merged onto the provider's {@code reference.conf} defaults and
 * checked as a job checks them.
 *
 * <p><b>Hooks</b> are registered in this order: a {@link RecordingHook} named {@value #RECORDER} at
 * {@link Priority#HIGHEST}, before every other hook ({@link #calls()}); then the test's hooks, in
 * the order added; then, as the launcher does, the {@code optimizer} hook with its defaults when a
 * provider of that name is on the class path ({@code hooks-builtin}) and the test added none
 * ({@link #withoutOptimizerHook()} leaves it out). {@link #hook(String, String)} builds a hook by
 * name with the test's HOCON checked against and merged onto the provider's defaults, exactly as
 * the launcher does; a {@code priority} key in it is honoured, else the provider's default applies.
 *
 * <p><b>Defaults</b>: seed 42, workflow {@code [[train, 1]]}, a {@link FakeModel} and a
 * {@link FakeOptimizer} (lr 0.1, momentum 0.9), a train {@link FakeLoader} of 4 batches of 2
 * samples (or as many batches as the factory was given) and a val loader of 2 batches of 2 samples,
 * present even when the workflow has no val phase (an eval hook reads it); {@code val(null)} removes
 * it. The work dir is a new temporary directory unless {@link #in} gives one (a JUnit
 * {@code @TempDir}, which is deleted).
 *
 * <p>The runner is built, with the hooks, on the first call of {@link #runner()}, {@link #run()} or
 * {@link #resume}; settings given after that are refused, hooks added after it are registered
 * directly.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class Harness {
    /** The name of the harness's own {@link RecordingHook}. */
    public static final String RECORDER = "harness";

    private record Planned(Hook hook, int priority, @Nullable String type) {}

    private final @Nullable String runnerName;
    private final @Nullable RunnerProvider runnerProvider;
    private final Map<String, Object> runnerOptions;
    private final RecordingHook recorder = new RecordingHook(RECORDER);
    private final List<Planned> hooks = new ArrayList<>();
    private @Nullable Path workDir;
    private long seed = 42;
    private Workflow workflow = Workflow.of(new Phase(Mode.TRAIN, 1));
    private DataLoader train;
    private @Nullable DataLoader val = FakeLoader.val(0, 4, 2);
    private Model model = new FakeModel();
    private @Nullable Optimizer optimizer;
    private boolean optimizerGiven;
    private boolean optimizerHook = true;
    private @Nullable Runner runner;
    private @Nullable RunOutcome outcome;
    private int rank;
    private @Nullable ThreadRanks ranks;
    private boolean valSplit;

    private Harness(@Nullable String runnerName, @Nullable RunnerProvider provider, Map<String, ?> options, int batches) {
        this.runnerName = runnerName;
        this.runnerProvider = provider;
        this.runnerOptions = new LinkedHashMap<>(options);
        this.train = FakeLoader.train(0, 2 * batches, 2);
    }

    /** The {@code epoch} runner with {@code max-epochs = maxEpochs}, training on 4 batches. */
    public static Harness epochs(int maxEpochs) {
        return epochs(maxEpochs, 4);
    }

    /** The {@code epoch} runner with {@code max-epochs = maxEpochs}, training on {@code trainBatches} batches of 2 samples. */
    public static Harness epochs(int maxEpochs, int trainBatches) {
        return new Harness("epoch", null, Map.of("max-epochs", maxEpochs), trainBatches);
    }

    /** The {@code iter} runner with {@code max-iters = maxIters}, training on an endless loader of 4 batches. */
    public static Harness iters(long maxIters) {
        return iters(maxIters, 4);
    }

    /** The {@code iter} runner with {@code max-iters = maxIters}, over a train loader of {@code trainBatches} batches. */
    public static Harness iters(long maxIters, int trainBatches) {
        return new Harness("iter", null, Map.of("max-iters", maxIters), trainBatches);
    }

    /**
     * The runner named {@code name} (a plugin's, too), with {@code options} as its {@code runner}
     * section would give them, e.g. {@code Map.of("max-epochs", 3)}.
     */
    public static Harness runner(String name, Map<String, ?> options) {
        return new Harness(Objects.requireNonNull(name, "name"), null, options, 4);
    }

    /** A runner of {@code provider}, which need not be on the class path, with {@code options} on its defaults. */
    public static Harness runner(RunnerProvider provider, Map<String, ?> options) {
        return new Harness(null, Objects.requireNonNull(provider, "provider"), options, 4);
    }

    private void notBuilt(String what) {
        if (runner != null) {
            throw new IllegalStateException(what + " must be set before the runner is built (by runner(), run() or resume())");
        }
    }

    /** Logs and checkpoints go to {@code dir}. */
    public Harness in(Path dir) {
        notBuilt("the work dir");
        this.workDir = Objects.requireNonNull(dir, "dir");
        return this;
    }

    /**
     * The run's seed, default 42: it seeds every step ({@code BaseRunner.stepSeed}); the fake
     * loaders' orders have seeds of their own.
     */
    public Harness seed(long seed) {
        notBuilt("the seed");
        this.seed = seed;
        return this;
    }

    /**
     * Makes the runner rank {@code rank} of {@code ranks}, summing over them with
     * {@link ThreadRanks#sum}; with {@code valSplit}, its val data is its share of the val set
     * ({@link Runner#valSplit}). Run each rank's harness on its own thread ({@link ThreadRanks#run}).
     */
    public Harness rank(int rank, ThreadRanks ranks, boolean valSplit) {
        notBuilt("the rank");
        this.ranks = Objects.requireNonNull(ranks, "ranks");
        ranks.sum(rank); // checks the rank
        this.rank = rank;
        this.valSplit = valSplit;
        return this;
    }

    /** The workflow as written in a config, e.g. {@code [[train, 2], [val, 1]]}. */
    public Harness workflow(String hocon) {
        return workflow(parseWorkflow(hocon));
    }

    /** The workflow; default {@code [[train, 1]]}. */
    public Harness workflow(Workflow workflow) {
        this.workflow = Objects.requireNonNull(workflow, "workflow");
        return this;
    }

    /** The train data. */
    public Harness train(DataLoader loader) {
        this.train = Objects.requireNonNull(loader, "loader");
        return this;
    }

    /** The val data, or none ({@code null}). */
    public Harness val(@Nullable DataLoader loader) {
        this.val = loader;
        return this;
    }

    /**
     * The model to train instead of the default {@link FakeModel}. A model that is not a FakeModel
     * needs an {@link #optimizer(Optimizer)} too.
     */
    public Harness model(Model model) {
        notBuilt("the model");
        this.model = Objects.requireNonNull(model, "model");
        if (!optimizerGiven) {
            this.optimizer = null;
        }
        return this;
    }

    /** The optimizer instead of a {@link FakeOptimizer} of the model. */
    public Harness optimizer(Optimizer optimizer) {
        notBuilt("the optimizer");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.optimizerGiven = true;
        return this;
    }

    /** Adds the hook named {@code type} with its default options and priority. */
    public Harness hook(String type) {
        return hook(type, "");
    }

    /**
     * Adds the hook named {@code type}, built now from {@code hocon} (e.g. {@code interval = 2,
     * priority = LOW}) merged onto the provider's defaults as the launcher does.
     *
     * @throws dev.stride.runner.api.BadInputException when an option is unknown or invalid
     * @throws IllegalStateException when no hook of that name is on the class path, naming the artifact to add
     */
    public Harness hook(String type, String hocon) {
        Providers.PlannedHook p = Providers.plan(type, hocon, "hooks[" + hooks.size() + "]");
        return add(new Planned(p.hook(), p.priority(), p.type()));
    }

    /** Adds {@code hook} at {@code priority} (0..100, lower first). */
    public Harness hook(Hook hook, int priority) {
        return add(new Planned(Objects.requireNonNull(hook, "hook"), Priority.check(priority), null));
    }

    /** Adds {@code hook} at {@code priority}. */
    public Harness hook(Hook hook, Priority priority) {
        return hook(hook, priority.value());
    }

    private Harness add(Planned p) {
        hooks.add(p);
        if (runner != null) {
            runner.registerHook(p.hook(), p.priority());
        }
        return this;
    }

    /** Leaves out the {@code optimizer} hook the launcher adds by default. */
    public Harness withoutOptimizerHook() {
        notBuilt("withoutOptimizerHook()");
        this.optimizerHook = false;
        return this;
    }

    /**
     * The model as the {@link FakeModel} it is by default.
     *
     * @throws IllegalStateException when {@link #model(Model)} gave another kind of model
     */
    public FakeModel model() {
        if (model instanceof FakeModel f) {
            return f;
        }
        throw new IllegalStateException("the harness's model is a " + model.getClass().getName() + ", not a FakeModel");
    }

    /**
     * The optimizer as the {@link FakeOptimizer} it is by default.
     *
     * @throws IllegalStateException when {@link #optimizer(Optimizer)} gave another kind of optimizer
     */
    public FakeOptimizer optimizer() {
        if (optimizerOrDefault() instanceof FakeOptimizer f) {
            return f;
        }
        throw new IllegalStateException("the harness's optimizer is a " + optimizerOrDefault().getClass().getName()
                + ", not a FakeOptimizer");
    }

    private Optimizer optimizerOrDefault() {
        if (optimizer == null) {
            if (!(model instanceof FakeModel f)) {
                throw new IllegalStateException("the model " + model.getClass().getName() + " is not a FakeModel, so the"
                        + " harness cannot make a FakeOptimizer for it: give one with optimizer(...)");
            }
            optimizer = new FakeOptimizer(f);
        }
        return optimizer;
    }

    /** The train loader. */
    public DataLoader trainLoader() {
        return train;
    }

    /** The val loader, or null. */
    public @Nullable DataLoader valLoader() {
        return val;
    }

    /** The work dir; a new temporary directory is made on the first call when none was given. */
    public Path workDir() {
        if (workDir == null) {
            try {
                workDir = Files.createTempDirectory("stride-harness");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return workDir;
    }

    /** The recorder registered at HIGHEST before every other hook; actions attached to it run before the other hooks. */
    public RecordingHook recorder() {
        return recorder;
    }

    /** Every stage call of the runner so far, with the counters the hooks saw. */
    public List<StageCall> calls() {
        return recorder.calls();
    }

    /** How the last {@link #run()} ended, or null before it. */
    public @Nullable RunOutcome outcome() {
        return outcome;
    }

    /**
     * The runner, built with its hooks on the first call.
     *
     * @throws IllegalStateException when the runner is not on the class path, naming the artifact to add
     * @throws dev.stride.runner.api.BadInputException when a runner option is unknown or invalid
     */
    public Runner runner() {
        if (runner == null) {
            RunnerProvider p = runnerProvider != null ? runnerProvider
                    : Providers.<RunnerProvider>get(ProviderKind.RUNNER, Objects.requireNonNull(runnerName));
            Config options = Providers.runnerOptions(p, runnerOptions);
            RunnerSettings.Builder settings = RunnerSettings.builder(model, optimizerOrDefault())
                    .workDir(workDir()).seed(seed).options(options);
            if (ranks != null) {
                settings.rank(rank, ranks.size()).sumOverRanks(ranks.sum(rank), valSplit);
            }
            Runner r = p.create(settings.build());
            r.registerHook(recorder, Priority.HIGHEST);
            boolean hasOptimizerHook = false;
            for (Planned h : hooks) {
                r.registerHook(h.hook(), h.priority());
                hasOptimizerHook |= "optimizer".equals(h.type());
            }
            if (optimizerHook && !hasOptimizerHook) {
                var provider = Providers.find(ProviderKind.HOOK, "optimizer");
                if (provider.isPresent()) {
                    HookProvider hp = (HookProvider) provider.get();
                    r.registerHook(hp.create(Providers.hookOptions(hp, "", "optimizer-config")), hp.defaultPriority());
                }
            }
            runner = r;
        }
        return runner;
    }

    /** Builds the runner and resumes it from {@code checkpoint}, for the next {@link #run()}. */
    public Harness resume(Path checkpoint) {
        runner().resume(checkpoint);
        return this;
    }

    /** Runs the workflow with the train loader and, when there is one, the val loader. */
    public RunOutcome run() {
        Map<Mode, DataLoader> loaders = new EnumMap<>(Mode.class);
        loaders.put(Mode.TRAIN, train);
        if (val != null) {
            loaders.put(Mode.VAL, val);
        }
        outcome = runner().run(loaders, workflow);
        return outcome;
    }

    /**
     * Builds a hook named {@code type} from {@code hocon} merged onto its defaults, as the launcher
     * does, without a runner.
     */
    public static Hook newHook(String type, String hocon) {
        return Providers.plan(type, hocon, "hooks[0]").hook();
    }

    /** The options the hook provider named {@code type} receives for {@code hocon}: the test's section on its defaults. */
    public static Config hookOptions(String type, String hocon) {
        return Providers.hookOptions(Providers.get(ProviderKind.HOOK, type), hocon, "hooks[0]");
    }

    /**
     * Reads a workflow as written in a config: {@code [[train, 2], [val, 1]]}.
     *
     * @throws IllegalArgumentException when the text is not a list of [mode, count] pairs
     */
    public static Workflow parseWorkflow(String hocon) {
        List<Phase> phases = new ArrayList<>();
        try {
            ConfigValue v = ConfigFactory.parseString("workflow = " + hocon).getValue("workflow");
            if (v.valueType() != ConfigValueType.LIST) {
                throw new IllegalArgumentException("not a workflow such as [[train, 2], [val, 1]]: " + hocon);
            }
            for (ConfigValue item : (ConfigList) v) {
                if (!(item instanceof ConfigList pair) || pair.size() != 2
                        || !(pair.get(1).unwrapped() instanceof Number count)) {
                    throw new IllegalArgumentException("not a [mode, count] pair in the workflow " + hocon + ": " + item.render());
                }
                phases.add(new Phase(Mode.parse(String.valueOf(pair.get(0).unwrapped())), count.intValue()));
            }
        } catch (ConfigException e) {
            throw new IllegalArgumentException("not a workflow such as [[train, 2], [val, 1]]: " + hocon, e);
        }
        return new Workflow(phases);
    }
}
