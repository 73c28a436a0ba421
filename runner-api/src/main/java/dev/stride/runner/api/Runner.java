package dev.stride.runner.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Drives training through a {@link Workflow}, calling {@link Hook}s at fixed points, and saves
 * and resumes checkpoints. Hooks receive the runner and read its state from it.
 *
 * <p>Counters follow MMCV 1.x's runners exactly, so a hook ported from MMCV sees the same numbers:
 * {@link #epoch()} and {@link #iter()} count the train epochs and iterations completed before the
 * current step (with the iteration-based runner, {@link #epoch()} is the number of passes the
 * train loader had completed before the current batch was fetched); {@link #innerIter()} is the
 * index of the current batch in its epoch (epoch-based; at the after-epoch stages it keeps the last
 * batch's index, and at the before-epoch stages the previous epoch's) or the iterations done in the
 * current phase (iteration-based); {@link #mode()} is {@code null} before the first phase.
 *
 * <p>A runner is used from one thread, except {@link #requestStop}, which any thread (a signal
 * handler) may call.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Runner {
    /** The name of this runner strategy, e.g. {@code epoch} or {@code iter}. */
    String name();

    /** Adds a hook; lower priorities run first, equal ones in registration order. */
    void registerHook(Hook hook, int priority);

    default void registerHook(Hook hook, Priority priority) {
        registerHook(hook, priority.value());
    }

    /** The hooks in the order they run. */
    List<Hook> hooks();

    /**
     * Runs the workflow until {@link #maxIters()} / {@link #maxEpochs()} is reached or a stop is
     * requested.
     *
     * @param loaders a loader for each mode the workflow uses
     * @return how the run ended
     */
    RunOutcome run(Map<Mode, DataLoader> loaders, Workflow workflow);

    /**
     * Saves a checkpoint of the runner's current position in {@code dir}, named
     * {@code epoch_N.safetensors} or {@code iter_N.safetensors} by the runner's own unit.
     *
     * @return the file written
     */
    Path saveCheckpoint(Path dir);

    /** Saves a checkpoint under {@code fileName} in {@code dir}, atomically. */
    Path saveCheckpoint(Path dir, String fileName);

    /**
     * The full state of the run now, as {@link #saveCheckpoint} would write it; for hooks that
     * write checkpoints of their own (best model, without optimizer state).
     */
    Checkpoint checkpoint();

    /**
     * Restores parameters, optimizer state, hook states and the runner's position; the next
     * {@link #run} continues where the checkpoint was taken, bit for bit.
     *
     * @throws BadInputException when the file is missing, corrupt or does not fit this model
     */
    void resume(Path checkpoint);

    // ---- state read by hooks ----

    /** Train epochs completed before the current step (MMCV's {@code runner.epoch}). */
    int epoch();

    /** Train iterations completed before the current step, over the whole run (MMCV's {@code runner.iter}). */
    long iter();

    /**
     * The index of the current batch in its epoch (epoch-based runners), or the iterations done in
     * the current phase (iteration-based runners): MMCV's {@code runner.inner_iter}.
     */
    int innerIter();

    /** The mode of the current phase; {@code null} before the first phase starts (MMCV's {@code None}). */
    @Nullable Mode mode();

    int maxEpochs();

    long maxIters();

    /** True for runners that count in epochs. */
    boolean byEpoch();

    /** Steps in the current epoch (epoch runner) or phase (iter runner). */
    int phaseLength();

    /** What the last step reported. */
    StepOutput outputs();

    /** The log buffer of the current mode. */
    LogBuffer logBuffer();

    /** The log buffer of a mode. */
    LogBuffer logBuffer(Mode mode);

    Model model();

    Optimizer optimizer();

    /** The loader of a mode, or {@code null} when the run has none. */
    @Nullable DataLoader loader(Mode mode);

    /** The learning rate of the first parameter group. */
    default double currentLr() {
        return optimizer().paramGroups().get(0).lr();
    }

    /** The momentum of the first parameter group. */
    default double currentMomentum() {
        return optimizer().paramGroups().get(0).momentum();
    }

    Path workDir();

    /**
     * The whole resolved config of the job, as stored in checkpoints (values from the environment
     * appear as their references); empty when the runner was built without one.
     */
    default Config config() {
        return ConfigFactory.empty();
    }

    /** The start time of the run, {@code yyyyMMdd_HHmmss}; names the log files. */
    String timestamp();

    long seed();

    /** This process's rank in a distributed run; 0 otherwise. */
    default int rank() {
        return 0;
    }

    /** Processes in a distributed run; 1 otherwise. */
    default int worldSize() {
        return 1;
    }

    /**
     * Whether this rank validates only its share of the val data: a data-parallel run whose val
     * data set is split among the ranks. The runner sums its val log buffer over the ranks before
     * the after-val-epoch hooks run; a hook that runs the val data itself (an evaluation) adds the
     * other ranks' sums with {@link #sumOverRanks} to report the whole val set.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    default boolean valSplit() {
        return false;
    }

    /**
     * Sums {@code values} element by element over every rank of a data-parallel run, in place:
     * every rank then holds the same sums. All ranks must call it at the same point with as many
     * values. With one process it leaves them as they are.
     *
     * @throws UnsupportedOperationException in a run of several ranks whose runner cannot sum
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    default void sumOverRanks(double[] values) {
        if (worldSize() > 1) {
            throw new UnsupportedOperationException("runner '" + name() + "' cannot sum over the " + worldSize() + " ranks");
        }
    }

    /** True on the process that writes logs and checkpoints. */
    default boolean isMainProcess() {
        return rank() == 0;
    }

    /**
     * Asks the run to stop after the current step. Safe from any thread.
     *
     * @param checkpoint whether to save a checkpoint before stopping (preemption)
     */
    void requestStop(String reason, boolean checkpoint);

    /**
     * Preemption (SIGTERM, SIGINT): stop after the current step, save a checkpoint, skip the
     * after-run hooks; {@link #run} returns {@link RunOutcome#INTERRUPTED}. Safe from any thread.
     */
    void interrupt(String reason);

    /** The reason given to {@link #requestStop}, or {@code null}. */
    @Nullable String stopReason();
}
