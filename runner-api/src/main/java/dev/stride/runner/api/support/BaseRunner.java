package dev.stride.runner.api.support;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.LogBuffer;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.StepOutput;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.internal.DataSpecs;
import dev.stride.runner.api.internal.Printable;
import dev.stride.runner.api.spi.RunnerSettings;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole machinery of a runner, after MMCV's BaseRunner: the counters hooks read, the hook
 * chain, train and val steps, the walk through the workflow, stop requests, and checkpoints that
 * record the exact position in the workflow so that {@link #resume} continues bit for bit.
 *
 * <p>A strategy chooses its {@link Unit} and sets its limit in its constructor
 * ({@link #setMaxEpochs} or {@link #setMaxIters}); that is a complete runner. The built-in
 * {@code epoch} and {@code iter} runners are exactly that. To vary the walk, override the pieces:
 * <ul>
 *   <li>{@link #epochLength}: how many batches an epoch of a mode runs (a curriculum shortens the
 *       early train epochs);
 *   <li>{@link #prepare}: derive the other limit from the loaders;
 *   <li>{@link #loop}: a walk of your own, built from {@link #walkEpochs}, {@link #walkIterations}
 *       and {@link #runEpoch};
 *   <li>{@link #saveCursors} / {@link #loadCursors}: state of your own that a resume needs.
 * </ul>
 * The counters are private: they move only through these pieces, which keep them consistent with
 * the checkpoint position at every hook call. A walk that ends before the limit without a stop
 * request is a bug of the strategy and fails with an {@link IllegalStateException}, instead of
 * reporting a run that did not happen as completed.
 *
 * <p>The counters are MMCV's (see {@link Runner}): with {@link Unit#ITERATIONS} {@link #epoch()}
 * is the number of passes the train loader had completed before the current batch was fetched;
 * {@link #innerIter()} is the index of the batch in its epoch ({@link Unit#EPOCHS}, kept at the
 * last index at the after-epoch stages) or the iterations done in the current phase
 * ({@link Unit#ITERATIONS}); {@link #mode()} is {@code null} until the first phase starts.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public abstract class BaseRunner implements Runner {
    /** The value of the {@code stride.format} metadata key of every checkpoint. */
    public static final String FORMAT = "stride-checkpoint/1";
    /** The prefix of the train data's statistics ({@link DataLoader#saveState}) in checkpoints. */
    public static final String DATA = "data.";

    private static final Logger LOG = LoggerFactory.getLogger(BaseRunner.class);
    private static final StepOutput NO_OUTPUT = new StepOutput(Map.of(), 0);

    /** What the workflow counts: epochs (MMCV's EpochBasedRunner) or iterations (IterBasedRunner). */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public enum Unit {
        /** Each phase count is an epoch; the run ends after max-epochs train epochs. */
        EPOCHS,
        /** Each phase count is an iteration; loaders are endless; the run ends after max-iters train iterations. */
        ITERATIONS
    }

    /** A checkpoint position: the counters as they will be once the hook stage in progress is done. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Position(int epoch, long iter, int phase, int repeat, int inner) {}

    private final Unit unit;
    private final Model model;
    private final Optimizer optimizer;
    private final Path workDir;
    private final long seed;
    private final Config job;
    private final int rank;
    private final int worldSize;
    private final Consumer<double[]> sumOverRanks;
    private final boolean valSplit;

    private final HookChain hooks = new HookChain();
    private final Map<Hook, String> hookKeys = new HashMap<>();
    private final EnumMap<Mode, LogBuffer> buffers = new EnumMap<>(Mode.class);
    private final String timestamp;
    private final EnumMap<Mode, DataLoader> loaders = new EnumMap<>(Mode.class);
    private final EnumMap<Mode, EndlessLoader> streams = new EnumMap<>(Mode.class);
    private final EnumMap<Mode, long[]> cursors = new EnumMap<>(Mode.class);

    private int epoch;
    private long iter;
    private int innerIter;
    private @Nullable Mode mode;
    private int maxEpochs;
    private long maxIters;
    private int phaseLength;
    /** Index of the current phase in the workflow. */
    private int phaseIndex;
    /** Epochs (EPOCHS) or iterations (ITERATIONS) done in the current phase. */
    private int phaseRepeat;
    /** Batches done in the current epoch (EPOCHS): where a resumed epoch starts. */
    private int done;

    private StepOutput outputs = NO_OUTPUT;
    private @Nullable Stage inStage;
    private volatile @Nullable String stopReason;
    private volatile boolean stopCheckpoint;
    private volatile boolean interrupted;
    private @Nullable Checkpoint resumedFrom;

    protected BaseRunner(RunnerSettings settings, Unit unit) {
        this.unit = unit;
        this.model = settings.model();
        this.optimizer = settings.optimizer();
        this.workDir = settings.workDir();
        this.seed = settings.seed();
        this.job = settings.job();
        this.rank = settings.rank();
        this.worldSize = settings.worldSize();
        this.sumOverRanks = settings.sumOverRanks();
        this.valSplit = settings.valSplit();
        for (Mode m : Mode.values()) {
            buffers.put(m, new LogBuffer(model::summarize));
        }
        this.timestamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
    }

    // ---- what a strategy sets or overrides ----

    /** Sets max-epochs; with {@link Unit#EPOCHS} call it in the constructor. */
    protected final void setMaxEpochs(int maxEpochs) {
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("max-epochs must be at least 1, was " + maxEpochs);
        }
        this.maxEpochs = maxEpochs;
    }

    /** Sets max-iters; with {@link Unit#ITERATIONS} call it in the constructor. */
    protected final void setMaxIters(long maxIters) {
        if (maxIters < 1) {
            throw new IllegalArgumentException("max-iters must be at least 1, was " + maxIters);
        }
        this.maxIters = maxIters;
    }

    /**
     * Batches an epoch of {@code mode} runs when it is the {@code epoch}-th (0-based) train epoch;
     * by default the whole loader. Must be at least 1 for train and at most the loader's length.
     */
    protected int epochLength(Mode mode, int epoch) {
        return loader(mode).batchesPerEpoch();
    }

    /**
     * Called once at the start of {@link #run}, when the loaders are known: derives the limit the
     * strategy did not set. By default, max-iters is the sum of the train epochs' lengths
     * ({@link Unit#EPOCHS}), or max-epochs the passes over the train loader that max-iters takes
     * ({@link Unit#ITERATIONS}).
     */
    protected void prepare(Workflow workflow) {
        if (unit == Unit.EPOCHS) {
            long total = 0;
            for (int e = 0; e < maxEpochs; e++) {
                total += epochLength(Mode.TRAIN, e);
            }
            maxIters = total;
        } else {
            int perEpoch = Math.max(1, loader(Mode.TRAIN).batchesPerEpoch());
            maxEpochs = (int) Math.min(Integer.MAX_VALUE, (maxIters + perEpoch - 1) / perEpoch);
        }
    }

    /** Walks the workflow from the current position to the end: {@link #walkEpochs} or {@link #walkIterations}. */
    protected void loop(Workflow workflow) {
        if (unit == Unit.EPOCHS) {
            walkEpochs(workflow);
        } else {
            walkIterations(workflow);
        }
    }

    /** Saves strategy-specific state a resume needs (its options in force ...). */
    protected void saveCursors(Checkpoint.Section state) {}

    /** Restores what {@link #saveCursors} wrote. */
    protected void loadCursors(Checkpoint.Section state) {}

    /** The default file name of a checkpoint at {@code p}: {@code epoch_3.safetensors} between epochs, else {@code iter_N}. */
    protected String checkpointName(Position p) {
        return unit == Unit.EPOCHS && p.inner() == 0 ? "epoch_" + p.epoch() + ".safetensors"
                : "iter_" + p.iter() + ".safetensors";
    }

    // ---- the walks ----

    /**
     * MMCV's EpochBasedRunner loop: repeats the workflow, each count an epoch, until max-epochs
     * train epochs are done. Only train epochs advance {@code epoch}; a train phase stops early at
     * the limit, val phases still run in their turn. A run resumed inside a cycle finishes that
     * cycle's remaining phases first, as the straight run did.
     */
    protected final void walkEpochs(Workflow workflow) {
        boolean midCycle = phaseIndex > 0 || phaseRepeat > 0 || done > 0;
        while (epoch < maxEpochs || midCycle) {
            midCycle = false;
            while (phaseIndex < workflow.size()) {
                Phase phase = workflow.get(phaseIndex);
                while (phaseRepeat < phase.count()) {
                    if (phase.mode() == Mode.TRAIN && epoch >= maxEpochs) {
                        break;
                    }
                    runEpoch(phase.mode());
                    phaseRepeat++;
                    checkStop();
                }
                phaseIndex++;
                phaseRepeat = 0;
            }
            phaseIndex = 0;
        }
    }

    /**
     * One epoch of {@code m}: the before-epoch hooks, {@link #epochLength} steps starting where a
     * resumed run stopped, the after-epoch hooks; a train epoch then advances {@code epoch}.
     *
     * @throws IllegalStateException when the loader ends before the epoch's length
     */
    protected final void runEpoch(Mode m) {
        DataLoader loader = loader(m);
        if (loader == null) {
            throw new BadInputException("the workflow has a " + m + " phase but no " + m + " data: add a data." + m + " section");
        }
        int length = epochLength(m, epoch);
        checkLength(m, length, loader);
        mode = m;
        phaseLength = length;
        if (m == Mode.VAL && valSplit && done > 0) {
            // a val epoch cut by a checkpoint holds the entries of one rank's share (or one process's data) so far, which
            // the ranks' sum cannot use: it runs again from its start (a val step changes nothing)
            done = 0;
        }
        if (done == 0) {
            logBuffer(m).clear();
        }
        boolean train = m == Mode.TRAIN;
        callHook(train ? Stage.BEFORE_TRAIN_EPOCH : Stage.BEFORE_VAL_EPOCH);
        try (BatchStream batches = loader.open(epoch, done)) {
            while (done < length) {
                if (!batches.hasNext()) {
                    throw new IllegalStateException("the " + m + " loader ended after " + done + " of the " + length
                            + " batches runner '" + name() + "' asked for in epoch " + (epoch + 1));
                }
                try (Batch batch = batches.next()) {
                    innerIter = done;
                    step(m, batch);
                }
                done++;
                checkStop();
            }
        }
        if (!train) {
            sumValOverRanks();
        }
        callHook(train ? Stage.AFTER_TRAIN_EPOCH : Stage.AFTER_VAL_EPOCH);
        done = 0;
        if (train) {
            epoch++;
        }
    }

    private void checkLength(Mode m, int length, DataLoader loader) {
        int full = loader.batchesPerEpoch();
        if (m == Mode.TRAIN && full < 1) {
            throw new BadInputException("data.train gives no batches (" + loader.samples() + " samples): nothing to train on."
                    + " Check its files, or its batch-size and drop-last");
        }
        if (length < (m == Mode.TRAIN ? 1 : 0) || length > full) {
            throw new IllegalStateException("runner '" + name() + "' asked for an epoch of " + length + " " + m
                    + " batches; the loader has " + full);
        }
    }

    /**
     * MMCV's IterBasedRunner loop: repeats the workflow, each count an iteration, until max-iters
     * train iterations are done. Every mode's loader is endless. The before/after-epoch hooks are
     * called once around the walk, and before/after-val-epoch around each val phase.
     */
    protected final void walkIterations(Workflow workflow) {
        streams.clear();
        for (Mode m : workflow.modes()) {
            DataLoader l = loader(m);
            if (l.batchesPerEpoch() < 1) {
                throw new BadInputException("data." + m + " gives no batches (" + l.samples() + " samples), so its endless"
                        + " loader has nothing to repeat. Check its files, or its batch-size and drop-last");
            }
            long[] c = cursors.getOrDefault(m, new long[] {0, 0});
            if (m == Mode.VAL && valSplit && phaseRepeat > 0 && phaseIndex < workflow.size()
                    && workflow.get(phaseIndex).mode() == Mode.VAL) {
                // a val phase cut by a checkpoint runs again (runPhase): from the batch it started with
                c = rewound(c, phaseRepeat, l.batchesPerEpoch());
            }
            streams.put(m, new EndlessLoader(l, c[0], (int) c[1]));
        }
        try {
            callHook(Stage.BEFORE_EPOCH);
            boolean midCycle = phaseIndex > 0 || phaseRepeat > 0;
            while (iter < maxIters || midCycle) {
                midCycle = false;
                while (phaseIndex < workflow.size()) {
                    runPhase(workflow.get(phaseIndex));
                    phaseIndex++;
                    phaseRepeat = 0;
                    checkStop();
                }
                phaseIndex = 0;
            }
            callHook(Stage.AFTER_EPOCH);
        } finally {
            // closed but kept: a checkpoint written after a stop records where each loader is
            streams.values().forEach(EndlessLoader::close);
        }
    }

    /** The position {@code {epoch, next batch}} {@code batches} batches before {@code cursor}, at most back to the start. */
    private static long[] rewound(long[] cursor, long batches, int perEpoch) {
        long at = Math.max(0, cursor[0] * perEpoch + cursor[1] - batches);
        return new long[] {at / perEpoch, at % perEpoch};
    }

    private void runPhase(Phase phase) {
        Mode m = phase.mode();
        mode = m;
        phaseLength = phase.count();
        innerIter = phaseRepeat;
        boolean val = m == Mode.VAL;
        if (val && valSplit && phaseRepeat > 0) {
            // as in runEpoch: a val phase cut by a checkpoint runs again from its start (walkIterations rewound its stream)
            phaseRepeat = 0;
            innerIter = 0;
        }
        if (val) {
            if (phaseRepeat == 0) {
                logBuffer(Mode.VAL).clear();
            }
            callHook(Stage.BEFORE_VAL_EPOCH);
        }
        EndlessLoader stream = streams.get(m);
        while (phaseRepeat < phase.count()) {
            if (!val && iter >= maxIters) {
                break;
            }
            if (!val) {
                // MMCV reads the train loader's pass count before the fetch that may start a new pass
                epoch = (int) stream.epoch();
            }
            try (Batch batch = stream.next()) {
                step(m, batch);
            }
            innerIter++;
            phaseRepeat++;
            checkStop();
        }
        if (val) {
            sumValOverRanks();
            callHook(Stage.AFTER_VAL_EPOCH);
        }
    }

    /** With the val data split among the ranks, the val log buffer then covers the whole val set on every rank. */
    private void sumValOverRanks() {
        if (valSplit) {
            buffers.get(Mode.VAL).sumOverRanks(sumOverRanks);
        }
    }

    /** One step: hooks around the model's train or val step; a train step then advances {@code iter}. */
    private void step(Mode m, Batch batch) {
        if (m == Mode.TRAIN) {
            callHook(Stage.BEFORE_TRAIN_ITER);
            outputs = model.trainStep(batch, stepSeed(seed, iter));
            buffers.get(Mode.TRAIN).update(outputs);
            callHook(Stage.AFTER_TRAIN_ITER);
            iter++;
        } else {
            callHook(Stage.BEFORE_VAL_ITER);
            outputs = model.valStep(batch);
            buffers.get(Mode.VAL).update(outputs);
            callHook(Stage.AFTER_VAL_ITER);
        }
    }

    /** The position a checkpoint taken now records, given the hook stage in progress (or null). */
    private Position position(@Nullable Stage inProgress) {
        int inner = unit == Unit.EPOCHS ? done : innerIter;
        Position now = new Position(epoch, iter, phaseIndex, phaseRepeat, inner);
        if (inProgress == null) {
            return now;
        }
        if (unit == Unit.EPOCHS) {
            return switch (inProgress) {
                case AFTER_TRAIN_ITER -> new Position(epoch, iter + 1, phaseIndex, phaseRepeat, done + 1);
                case AFTER_VAL_ITER -> new Position(epoch, iter, phaseIndex, phaseRepeat, done + 1);
                case AFTER_TRAIN_EPOCH -> new Position(epoch + 1, iter, phaseIndex, phaseRepeat + 1, 0);
                case AFTER_VAL_EPOCH -> new Position(epoch, iter, phaseIndex, phaseRepeat + 1, 0);
                default -> now;
            };
        }
        return switch (inProgress) {
            case AFTER_TRAIN_ITER -> new Position(epoch, iter + 1, phaseIndex, phaseRepeat + 1, innerIter + 1);
            case AFTER_VAL_ITER -> new Position(epoch, iter, phaseIndex, phaseRepeat + 1, innerIter + 1);
            case AFTER_VAL_EPOCH -> new Position(epoch, iter, phaseIndex + 1, 0, 0);
            default -> now;
        };
    }

    // ---- Runner ----

    @Override
    public final boolean byEpoch() {
        return unit == Unit.EPOCHS;
    }

    /** What this runner's workflow counts. */
    public final Unit unit() {
        return unit;
    }

    /**
     * Adds a hook. A hook's state is saved in checkpoints under its {@link Hook#name()}, so two
     * hooks that keep state ({@link Hook#saveState}) need distinct names: a second stateful hook of
     * a name already taken is refused, since a resume could not tell their states apart. Hooks
     * without state may share a name.
     *
     * @throws IllegalArgumentException when a stateful hook's name is taken
     */
    @Override
    public void registerHook(Hook hook, int priority) {
        String name = hook.name();
        String key = name;
        for (Map.Entry<Hook, String> e : hookKeys.entrySet()) {
            if (e.getValue().equals(name) && (keepsState(hook) || keepsState(e.getKey()))) {
                throw new IllegalArgumentException("two hooks are named '" + name + "' (" + e.getKey().getClass().getName()
                        + " and " + hook.getClass().getName() + ") and keep state in checkpoints under that name: give each"
                        + " its own name (hooks from a config take an 'id' option) so a resume restores each its own state");
            }
        }
        for (int n = 2; hookKeys.containsValue(key); n++) {
            key = name + "-" + n;
        }
        hooks.register(hook, priority);
        hookKeys.put(hook, key);
    }

    /** Whether the hook's class writes state into checkpoints (overrides {@link Hook#saveState}). */
    public static boolean keepsState(Hook hook) {
        try {
            return hook.getClass().getMethod("saveState", Checkpoint.Section.class).getDeclaringClass() != Hook.class;
        } catch (NoSuchMethodException impossible) {
            return true;
        }
    }

    @Override
    public List<Hook> hooks() {
        return hooks.hooks();
    }

    /** The priority a hook was registered with, or -1. */
    public int priorityOf(Hook hook) {
        return hooks.priorityOf(hook);
    }

    @Override
    public final RunOutcome run(Map<Mode, DataLoader> loaders, Workflow workflow) {
        for (Mode m : workflow.modes()) {
            if (loaders.get(m) == null) {
                throw new BadInputException("the workflow " + workflow + " has a " + m + " phase but no " + m
                        + " data: add a data." + m + " section");
            }
        }
        this.loaders.clear();
        this.loaders.putAll(loaders);
        if (unit == Unit.EPOCHS ? maxEpochs < 1 : maxIters < 1) {
            throw new IllegalStateException("runner '" + name() + "' set no limit: call setMax"
                    + (unit == Unit.EPOCHS ? "Epochs" : "Iters") + " in its constructor");
        }
        prepare(workflow);
        if (resumedFrom != null) {
            // the statistics the data was prepared with when the checkpoint was taken (standardisation ...)
            Checkpoint.Section data = resumedFrom.section(DATA, DATA);
            loaders.values().forEach(l -> l.loadState(data));
            restoreHookStates(resumedFrom);
            resumedFrom = null;
        }
        LOG.debug("{} runner: workflow {}, max epochs {}, max iters {}", name(), workflow, maxEpochs, maxIters);
        callHook(Stage.BEFORE_RUN);
        try {
            loop(workflow);
        } catch (StopRun stop) {
            if (stopCheckpoint && isMainProcess()) {
                Path file = saveCheckpoint(workDir);
                LOG.info("Stopped ({}) at epoch {}, iter {}; checkpoint {}", stopReason, epoch, iter, file);
            }
            if (interrupted) {
                return RunOutcome.INTERRUPTED;
            }
            callHook(Stage.AFTER_RUN);
            return RunOutcome.STOPPED;
        }
        boolean reached = unit == Unit.EPOCHS ? epoch >= maxEpochs : iter >= maxIters;
        if (!reached) {
            throw new IllegalStateException("runner '" + name() + "' ended its walk at epoch " + epoch + " of " + maxEpochs
                    + ", iter " + iter + " of " + maxIters + " without a stop request: a loop must run until the limit"
                    + " (use walkEpochs / walkIterations / runEpoch)");
        }
        callHook(Stage.AFTER_RUN);
        return RunOutcome.COMPLETED;
    }

    @Override
    public Path saveCheckpoint(Path dir) {
        return saveCheckpoint(dir, checkpointName(position(inStage)));
    }

    @Override
    public Path saveCheckpoint(Path dir, String fileName) {
        Path file = dir.resolve(fileName);
        CheckpointFiles.write(file, checkpoint());
        CheckpointFiles.markLatest(workDir, file);
        return file;
    }

    @Override
    public Checkpoint checkpoint() {
        Checkpoint ck = new Checkpoint();
        Position p = position(inStage);
        Checkpoint.Section run = ck.section("runner.", "");
        ck.putMetadata("stride.format", FORMAT);
        run.put("type", name());
        run.put("epoch", p.epoch());
        run.put("iter", p.iter());
        run.put("phase", p.phase());
        run.put("repeat", p.repeat());
        run.put("inner_iter", p.inner());
        if (unit == Unit.EPOCHS) {
            // the index hooks see (MMCV keeps the last batch's at the after-epoch stages); the cursor is inner_iter
            run.put("inner_index", innerIter);
        }
        run.put("mode", mode == null ? "none" : mode.id());
        run.put("seed", seed);
        ck.putMetadata("config", job.root().render(ConfigRenderOptions.concise()));
        if (unit == Unit.ITERATIONS) {
            saveStreams(run);
        }
        saveCursors(run);
        model.saveState(ck.section("model.", "model."));
        optimizer.saveState(ck.section("optimizer.", "optimizer."));
        DataLoader train = loaders.get(Mode.TRAIN);
        if (train != null) {
            train.saveState(ck.section(DATA, DATA));
        }
        // what the model was built for, so that predict and test rebuild it from the checkpoint alone
        DataSpec built = model.dataSpec() != null ? model.dataSpec() : train != null ? train.spec() : null;
        if (built != null) {
            ck.putMetadata(DataSpecs.KEY, DataSpecs.toJson(built));
        }
        for (Hook hook : hooks.hooks()) {
            String key = hookKeys.get(hook);
            hook.saveState(ck.section("hook." + key + ".", key + "."));
        }
        for (Mode m : Mode.values()) {
            buffers.get(m).saveState(ck.section("log." + m.id() + ".", ""));
        }
        return ck;
    }

    /** Where each endless loader is; a batch taken for a step that has not run yet is given back. */
    private void saveStreams(Checkpoint.Section state) {
        boolean batchInHand = inStage == Stage.BEFORE_TRAIN_ITER || inStage == Stage.BEFORE_VAL_ITER;
        streams.forEach((m, s) -> {
            long[] at = batchInHand && m == mode ? s.positionBeforeLast() : new long[] {s.epoch(), s.nextBatch()};
            state.put("cursor." + m.id() + ".epoch", at[0]);
            state.put("cursor." + m.id() + ".next", at[1]);
        });
    }

    @Override
    public void resume(Path file) {
        Checkpoint ck = CheckpointFiles.read(file);
        String format = ck.metadata().get("stride.format");
        if (!FORMAT.equals(format)) {
            throw new BadInputException(file + " is not a Stride checkpoint (stride.format is " + Printable.of(format) + ")");
        }
        Checkpoint.Section run = ck.section("runner.", "");
        if (!name().equals(run.get("type"))) {
            String type = Printable.of(run.get("type"));
            throw new BadInputException(file + " was written by the '" + type + "' runner; this run uses the '"
                    + name() + "' runner, whose positions mean something else. Resume with runner.type = "
                    + type + ", or start a new run.");
        }
        try {
            model.loadState(ck.section("model.", "model."));
            optimizer.loadState(ck.section("optimizer.", "optimizer."));
        } catch (BadInputException e) {
            throw new BadInputException("cannot resume from " + file + ": " + e.getMessage() + ". Resume with the model and"
                    + " optimizer config the checkpoint was written with, or start a new run (load-from takes the weights"
                    + " of matching tensors)", e);
        }
        epoch = (int) run.getLong("epoch", 0);
        iter = run.getLong("iter", 0);
        phaseIndex = (int) run.getLong("phase", 0);
        phaseRepeat = (int) run.getLong("repeat", 0);
        int inner = (int) run.getLong("inner_iter", 0);
        innerIter = unit == Unit.EPOCHS ? (int) run.getLong("inner_index", Math.max(0, inner - 1)) : inner;
        done = unit == Unit.EPOCHS ? inner : 0;
        String m = run.get("mode");
        mode = m == null || m.equals("none") ? null : Mode.parse(m);
        cursors.clear();
        for (Mode each : Mode.values()) {
            if (run.has("cursor." + each.id() + ".epoch")) {
                cursors.put(each, new long[] {run.getLong("cursor." + each.id() + ".epoch", 0),
                        run.getLong("cursor." + each.id() + ".next", 0)});
            }
        }
        loadCursors(run);
        for (Mode each : Mode.values()) {
            buffers.get(each).loadState(ck.section("log." + each.id() + ".", ""));
        }
        resumedFrom = ck;
        LOG.info("Resumed from {}: epoch {}, iter {}", file, epoch, iter);
    }

    private void restoreHookStates(Checkpoint ck) {
        for (Hook hook : hooks.hooks()) {
            String key = hookKeys.get(hook);
            hook.loadState(ck.section("hook." + key + ".", key + "."));
        }
    }

    @Override
    public final int epoch() {
        return epoch;
    }

    @Override
    public final long iter() {
        return iter;
    }

    @Override
    public final int innerIter() {
        return innerIter;
    }

    @Override
    public final @Nullable Mode mode() {
        return mode;
    }

    @Override
    public final int maxEpochs() {
        return maxEpochs;
    }

    @Override
    public final long maxIters() {
        return maxIters;
    }

    @Override
    public final int phaseLength() {
        return phaseLength;
    }

    @Override
    public StepOutput outputs() {
        return outputs;
    }

    @Override
    public LogBuffer logBuffer() {
        return buffers.get(mode == null ? Mode.TRAIN : mode);
    }

    @Override
    public LogBuffer logBuffer(Mode m) {
        return buffers.get(m);
    }

    @Override
    public Model model() {
        return model;
    }

    @Override
    public Optimizer optimizer() {
        return optimizer;
    }

    @Override
    public @Nullable DataLoader loader(Mode m) {
        return loaders.get(m);
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    @Override
    public Config config() {
        return job;
    }

    @Override
    public String timestamp() {
        return timestamp;
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int worldSize() {
        return worldSize;
    }

    @Override
    public boolean valSplit() {
        return valSplit;
    }

    @Override
    public void sumOverRanks(double[] values) {
        sumOverRanks.accept(values);
    }

    @Override
    public void requestStop(String reason, boolean checkpoint) {
        stopCheckpoint = checkpoint;
        stopReason = reason;
    }

    @Override
    public void interrupt(String reason) {
        interrupted = true;
        requestStop(reason, true);
    }

    @Override
    public @Nullable String stopReason() {
        return stopReason;
    }

    // ---- for strategies ----

    /** The hook stage being called now, or null between stages. */
    protected final @Nullable Stage stageInProgress() {
        return inStage;
    }

    /** Calls the hooks of {@code stage}, remembering it so a checkpoint taken inside knows the position. */
    protected final void callHook(Stage stage) {
        Stage outer = inStage;
        inStage = stage;
        try {
            hooks.call(stage, this);
        } finally {
            inStage = outer;
        }
    }

    /** Ends the run here if a stop was requested; the walks call it after every step and epoch. */
    protected final void checkStop() {
        if (stopReason != null) {
            throw new StopRun();
        }
    }

    /** The seed of the train step at {@code iter}: a pure function of (seed, iter). */
    public static long stepSeed(long seed, long iter) {
        long z = seed * 0x9E3779B97F4A7C15L + iter + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Unwinds the loop when a stop was requested. */
    private static final class StopRun extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopRun() {
            super(null, null, false, false);
        }
    }
}
