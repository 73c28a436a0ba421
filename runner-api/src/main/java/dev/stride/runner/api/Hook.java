package dev.stride.runner.api;

import org.apiguardian.api.API;

/**
 * User code the runner calls at fixed points of a run, in priority order (lower first; equal
 * priorities in registration order). Every method does nothing by default; override the ones you
 * need. The stage methods follow MMCV: {@code beforeTrainEpoch} and {@code beforeValEpoch} fall
 * back to {@link #beforeEpoch}, the iter stages to {@link #beforeIter}, and so on.
 *
 * <p>Stages and when they are called:
 * <ul>
 *   <li>{@code beforeRun} / {@code afterRun}: once, around the whole run;
 *   <li>{@code before/afterTrainEpoch}, {@code before/afterValEpoch}: around each epoch of the
 *       epoch runner, and around each val phase of the iter runner;
 *   <li>{@code before/afterEpoch}: the iter runner calls these once around the run, as MMCV does;
 *   <li>{@code before/afterTrainIter}, {@code before/afterValIter}: around every step.
 * </ul>
 *
 * <p>At {@code afterTrainIter} the runner's {@link Runner#iter()} and {@link Runner#innerIter()}
 * still count the iterations done before this one (MMCV's convention: {@code iter + 1}
 * iterations are complete); at {@code afterTrainEpoch}, {@link Runner#epoch()} still counts the
 * epochs done before this one.
 *
 * <p>All calls come from the runner's thread. A hook that throws stops the run; the error names
 * the hook, the stage, the epoch and the iteration.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Hook {
    /** A short name used in error messages and as the key of its state in checkpoints. */
    default String name() {
        return getClass().getSimpleName();
    }

    default void beforeRun(Runner runner) {}

    default void afterRun(Runner runner) {}

    default void beforeEpoch(Runner runner) {}

    default void afterEpoch(Runner runner) {}

    default void beforeTrainEpoch(Runner runner) {
        beforeEpoch(runner);
    }

    default void afterTrainEpoch(Runner runner) {
        afterEpoch(runner);
    }

    default void beforeValEpoch(Runner runner) {
        beforeEpoch(runner);
    }

    default void afterValEpoch(Runner runner) {
        afterEpoch(runner);
    }

    default void beforeIter(Runner runner) {}

    default void afterIter(Runner runner) {}

    default void beforeTrainIter(Runner runner) {
        beforeIter(runner);
    }

    default void afterTrainIter(Runner runner) {
        afterIter(runner);
    }

    default void beforeValIter(Runner runner) {
        beforeIter(runner);
    }

    default void afterValIter(Runner runner) {
        afterIter(runner);
    }

    /**
     * Writes what this hook must remember across a resume (best score, counters, EMA tensors).
     * Called whenever the runner saves a checkpoint.
     */
    default void saveState(Checkpoint.Section state) {}

    /** Reads back what {@link #saveState} wrote; called by {@link Runner#resume} before the run. */
    default void loadState(Checkpoint.Section state) {}
}
