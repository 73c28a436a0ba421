package dev.stride.engine.djl.data;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataSpec;

/**
 * Where a {@link DjlDataLoader}'s samples come from: arrays in memory, image files, a DJL data
 * set. The loader owns the order, batching, sharding and background threads; a source only
 * writes one sample at a time into a batch. {@link #read} is called from the loader's worker
 * threads, several at once, so it must be thread-safe, and its result a pure function of
 * (index, epoch): that is what makes a resumed run bit-identical.
 */
interface Samples {
    /** Samples in the data set. */
    int count();

    /** What the samples are; may change on {@link #loadState} (the train data's class order). */
    DataSpec spec();

    /** Whether samples carry targets (labels or regression values); {@code false} for data to predict on. */
    default boolean hasTargets() {
        return true;
    }

    /**
     * Writes sample {@code index} as it is in {@code epoch} (random augmentation is drawn from
     * (seed, epoch, index)) into the next row of {@code batch}.
     *
     * @return {@code false} when the sample is skipped (an unreadable file with {@code skip-bad}):
     *     nothing was written
     * @throws dev.stride.runner.api.BadInputException when the sample cannot be read, naming it
     */
    boolean read(int index, long epoch, BatchBuffers batch);

    /** {@link dev.stride.runner.api.DataLoader#targetValues}: by default the outputs as they are. */
    default float[] targetValues(float[] outputs) {
        return outputs;
    }

    /** {@link dev.stride.runner.api.DataLoader#sampleName}: by default {@code null}, the samples are not named. */
    default String sampleName(int index) {
        return null;
    }

    /** Names sample {@code index} for messages (its file, its row). */
    default String describe(int index) {
        return "sample " + index;
    }

    /** What the data is, for log lines: {@code "image-folder data/x"}. */
    default String name() {
        return "data";
    }

    /** {@link dev.stride.runner.api.DataLoader#saveState}. */
    default void saveState(Checkpoint.Section state) {}

    /** {@link dev.stride.runner.api.DataLoader#loadState}. */
    default void loadState(Checkpoint.Section state) {}
}
