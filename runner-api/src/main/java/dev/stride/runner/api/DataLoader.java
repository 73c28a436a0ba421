package dev.stride.runner.api;

import org.apiguardian.api.API;

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
