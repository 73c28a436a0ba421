package dev.stride.runner.api.support;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.LogBuffer;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.StepOutput;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.spi.RunnerSettings;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every runner strategy shares, after MMCV's BaseRunner: the counters hooks read, the hook
 * chain, train and val steps, stop requests, and checkpoints that record the exact position in
 * the workflow so that {@link #resume} continues bit for bit.
 *
 * <p>A strategy implements {@link #prepare} (compute max-epochs / max-iters) and {@link #loop}
 * (walk the workflow from the current position, calling {@link #trainStep} / {@link #valStep}),
 * and says how a hook stage in progress moves the position ({@link #position}).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public abstract class BaseRunner implements Runner {
    /** The value of the {@code stride.format} metadata key of every checkpoint. */
    public static final String FORMAT = "stride-checkpoint/1";

    private static final Logger LOG = LoggerFactory.getLogger(BaseRunner.class);
    private static final StepOutput NO_OUTPUT = new StepOutput(Map.of(), 0);

    protected final Model model;
    protected final Optimizer optimizer;
    protected final Path workDir;
    protected final long seed;
    protected final Config job;
    private final int rank;
    private final int worldSize;

    private final HookChain hooks = new HookChain();
    private final Map<Hook, String> hookKeys = new HashMap<>();
    private final EnumMap<Mode, LogBuffer> buffers = new EnumMap<>(Mode.class);
    private final String timestamp;
    private final EnumMap<Mode, DataLoader> loaders = new EnumMap<>(Mode.class);

    protected int epoch;
    protected long iter;
    protected int innerIter;
    protected Mode mode = Mode.TRAIN;
    protected int maxEpochs;
    protected long maxIters;
    protected int phaseLength;
    /** Index of the current phase in the workflow. */
    protected int phaseIndex;
    /** Epochs (epoch runner) or iterations (iter runner) done in the current phase. */
    protected int phaseRepeat;

    private StepOutput outputs = NO_OUTPUT;
    private Stage inStage;
    private volatile String stopReason;
    private volatile boolean stopCheckpoint;
    private volatile boolean interrupted;
    private Checkpoint resumedFrom;

    protected BaseRunner(RunnerSettings settings) {
        this.model = settings.model();
        this.optimizer = settings.optimizer();
        this.workDir = settings.workDir();
        this.seed = settings.seed();
        this.job = settings.job();
        this.rank = settings.rank();
        this.worldSize = settings.worldSize();
        for (Mode m : Mode.values()) {
            buffers.put(m, new LogBuffer());
        }
        this.timestamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
    }

    /** A checkpoint position: the counters as they will be once the stage in progress is done. */
    public record Position(int epoch, long iter, int phase, int repeat, int inner) {}

    /** Sets max-epochs and max-iters from the options and the loaders; rejects what cannot run. */
    protected abstract void prepare(Workflow workflow);

    /** Runs the workflow from the current position until the end; calls {@link #checkStop()} often. */
    protected abstract void loop(Workflow workflow);

    /** The position a checkpoint taken now records, given the hook stage in progress (or null). */
    protected abstract Position position(Stage inProgress);

    /** The default file name of a checkpoint at {@code p}, e.g. {@code epoch_3.safetensors}. */
    protected abstract String checkpointName(Position p);

    /** Saves strategy-specific cursors (endless loader positions ...). */
    protected void saveCursors(Checkpoint.Section state) {}

    /** Restores what {@link #saveCursors} wrote. */
    protected void loadCursors(Checkpoint.Section state) {}

    // ---- Runner ----

    @Override
    public void registerHook(Hook hook, int priority) {
        hooks.register(hook, priority);
        String key = hook.name();
        int n = 2;
        while (hookKeys.containsValue(key)) {
            key = hook.name() + "-" + n++;
        }
        hookKeys.put(hook, key);
    }

    @Override
    public List<Hook> hooks() {
        return hooks.hooks();
    }

    /** The priority a hook was registered with. */
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
        prepare(workflow);
        if (resumedFrom != null) {
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
        run.put("mode", mode.id());
        run.put("seed", seed);
        ck.putMetadata("config", job.root().render(ConfigRenderOptions.concise()));
        saveCursors(run);
        model.saveState(ck.section("model.", "model."));
        optimizer.saveState(ck.section("optimizer.", "optimizer."));
        for (Hook hook : hooks.hooks()) {
            String key = hookKeys.get(hook);
            hook.saveState(ck.section("hook." + key + ".", key + "."));
        }
        for (Mode m : Mode.values()) {
            buffers.get(m).saveState(ck.section("log." + m.id() + ".", ""));
        }
        return ck;
    }

    @Override
    public void resume(Path file) {
        Checkpoint ck = CheckpointFiles.read(file);
        String format = ck.metadata().get("stride.format");
        if (!FORMAT.equals(format)) {
            throw new BadInputException(file + " is not a Stride checkpoint (stride.format is " + format + ")");
        }
        Checkpoint.Section run = ck.section("runner.", "");
        if (!name().equals(run.get("type"))) {
            throw new BadInputException(file + " was written by the '" + run.get("type") + "' runner; this run uses the '"
                    + name() + "' runner, whose positions mean something else. Resume with runner.type = "
                    + run.get("type") + ", or start a new run.");
        }
        model.loadState(ck.section("model.", "model."));
        optimizer.loadState(ck.section("optimizer.", "optimizer."));
        epoch = (int) run.getLong("epoch", 0);
        iter = run.getLong("iter", 0);
        phaseIndex = (int) run.getLong("phase", 0);
        phaseRepeat = (int) run.getLong("repeat", 0);
        innerIter = (int) run.getLong("inner_iter", 0);
        mode = Mode.parse(run.get("mode"));
        loadCursors(run);
        for (Mode m : Mode.values()) {
            String prefix = "log." + m.id() + ".";
            List<String> keys = new ArrayList<>();
            ck.metadata().keySet().forEach(k -> {
                if (k.startsWith(prefix)) {
                    keys.add(k.substring(prefix.length()));
                }
            });
            buffers.get(m).loadState(ck.section(prefix, ""), keys);
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
    public int epoch() {
        return epoch;
    }

    @Override
    public long iter() {
        return iter;
    }

    @Override
    public int innerIter() {
        return innerIter;
    }

    @Override
    public Mode mode() {
        return mode;
    }

    @Override
    public int maxEpochs() {
        return maxEpochs;
    }

    @Override
    public long maxIters() {
        return maxIters;
    }

    @Override
    public int phaseLength() {
        return phaseLength;
    }

    @Override
    public StepOutput outputs() {
        return outputs;
    }

    @Override
    public LogBuffer logBuffer() {
        return buffers.get(mode);
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
    public DataLoader loader(Mode m) {
        return loaders.get(m);
    }

    @Override
    public Path workDir() {
        return workDir;
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
    public String stopReason() {
        return stopReason;
    }

    // ---- for strategies ----

    /** The hook stage being called now, or null between stages. */
    protected final Stage stageInProgress() {
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

    /** One train iteration: hooks around a train step; then {@code iter} and {@code innerIter} advance. */
    protected final void trainStep(Batch batch) {
        mode = Mode.TRAIN;
        callHook(Stage.BEFORE_TRAIN_ITER);
        outputs = model.trainStep(batch, stepSeed(seed, iter));
        buffers.get(Mode.TRAIN).update(outputs);
        callHook(Stage.AFTER_TRAIN_ITER);
        innerIter++;
        iter++;
    }

    /** One val iteration: hooks around a val step; then {@code innerIter} advances. */
    protected final void valStep(Batch batch) {
        mode = Mode.VAL;
        callHook(Stage.BEFORE_VAL_ITER);
        outputs = model.valStep(batch);
        buffers.get(Mode.VAL).update(outputs);
        callHook(Stage.AFTER_VAL_ITER);
        innerIter++;
    }

    /** Ends the run here if a stop was requested. */
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
