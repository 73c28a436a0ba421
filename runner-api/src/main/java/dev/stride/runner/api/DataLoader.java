package dev.stride.runner.api;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Batches of a data set, in an order that is a pure function of (seed, epoch): the same epoch
 * always yields the same batches, so a resumed run can start at any batch directly.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface DataLoader {
    /** Batches per epoch (the last one may be smaller). */
    int batchesPerEpoch();

    /** Samples per epoch. */
    long samples();

    /** Shape of one sample and the number of classes, so a model can size itself. */
    DataSpec spec();

    /**
     * Whether the batches carry targets (class labels or regression values). Data to predict on
     * has none ({@code stride predict}); training, validation and {@code stride test} refuse such
     * a loader before the first step. By default {@code true}.
     */
    default boolean hasTargets() {
        return true;
    }

    /**
     * A regression model's outputs for one sample as values of the data's targets: whatever the
     * loader does to targets before the model sees them (standardisation with the train data's
     * statistics) undone, so that {@code stride predict} writes values in the data's own units.
     * By default the outputs as they are.
     *
     * @param outputs the model's values for one sample, one per target
     */
    default float[] targetValues(float[] outputs) {
        return outputs;
    }

    /**
     * What sample {@code index} is, for people: the file it was read from (relative to the data
     * set's folder), or {@code null} when the data set does not name its samples (by default).
     * {@code index} counts samples in the data set's own order, that of an unshuffled epoch.
     */
    default @Nullable String sampleName(long index) {
        return null;
    }

    /**
     * Opens epoch {@code epoch} (0-based) starting at batch {@code firstBatch} without producing
     * the batches before it.
     *
     * @param firstBatch 0..{@link #batchesPerEpoch()}; equal to it gives an empty stream
     */
    BatchStream open(long epoch, int firstBatch);

    /**
     * Writes the statistics its samples are prepared with, when they were fitted on the data
     * (standardisation means and deviations ...). The train loader's go into every checkpoint and
     * into the loaders of the other modes.
     */
    default void saveState(Checkpoint.Section state) {}

    /**
     * Prepares its samples with the statistics {@link #saveState} wrote (by the train loader, or
     * into a checkpoint) instead of its own: val, test and predict data are standardised as the
     * train data was. Absent statistics leave the loader as it is.
     */
    default void loadState(Checkpoint.Section state) {}
}
