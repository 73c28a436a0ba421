package dev.stride.hooks.builtin.testing;

import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;

/** {@code batches} batches of {@code batchSize} samples per epoch; producing each may sleep. */
public final class FakeLoader implements DataLoader {
    private final int batches;
    private final int batchSize;
    private final long delayMillis;

    public FakeLoader(int batches, int batchSize, long delayMillis) {
        this.batches = batches;
        this.batchSize = batchSize;
        this.delayMillis = delayMillis;
    }

    public FakeLoader(int batches) {
        this(batches, 2, 0);
    }

    @Override
    public int batchesPerEpoch() {
        return batches;
    }

    @Override
    public long samples() {
        return (long) batches * batchSize;
    }

    @Override
    public DataSpec spec() {
        return new DataSpec(new long[] {1}, 2);
    }

    @Override
    public BatchStream open(long epoch, int firstBatch) {
        return new BatchStream() {
            private int next = firstBatch;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public Batch next() {
                Sleep.millis(delayMillis);
                next++;
                return new Batch() {
                    @Override
                    public int size() {
                        return batchSize;
                    }

                    @Override
                    public void close() {}
                };
            }

            @Override
            public void close() {}
        };
    }
}
