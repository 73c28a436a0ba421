package dev.stride.runner.api.support;

import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;

/**
 * A loader that never runs out: at the end of an epoch it opens the next one, whose order the
 * loader derives from (seed, epoch). Its position (epoch, next batch) is all a checkpoint needs.
 */
final class EndlessLoader implements AutoCloseable {
    private final DataLoader loader;
    private long epoch;
    private int next;
    private long epochBefore;
    private int nextBefore;
    private BatchStream stream;

    /** Starts at batch {@code next} of epoch {@code epoch}. */
    EndlessLoader(DataLoader loader, long epoch, int next) {
        if (loader.batchesPerEpoch() < 1) {
            throw new IllegalArgumentException("a loader without batches cannot be iterated endlessly");
        }
        this.loader = loader;
        this.epoch = epoch;
        this.next = next;
    }

    /** The next batch, moving to the next epoch when this one is done. */
    Batch next() {
        epochBefore = epoch;
        nextBefore = next;
        if (next >= loader.batchesPerEpoch()) {
            closeStream();
            epoch++;
            next = 0;
        }
        if (stream == null) {
            stream = loader.open(epoch, next);
        }
        Batch b = stream.next();
        next++;
        return b;
    }

    /** The epoch of the batch last returned: the number of passes completed before it. */
    long epoch() {
        return epoch;
    }

    /**
     * The position before the last {@link #next()}, as {@code {epoch, next batch}}: a loader
     * started there fetches that batch again, and reads the same {@link #epoch()} before it.
     */
    long[] positionBeforeLast() {
        return new long[] {epochBefore, nextBefore};
    }

    /** The index of the next batch in its epoch. */
    int nextBatch() {
        return next;
    }

    private void closeStream() {
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }

    @Override
    public void close() {
        closeStream();
    }
}
