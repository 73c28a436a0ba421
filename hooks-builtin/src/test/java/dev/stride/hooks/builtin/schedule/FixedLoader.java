package dev.stride.hooks.builtin.schedule;

import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;

/** A loader of {@code batches} trivial batches of one sample per epoch. */
final class FixedLoader implements DataLoader {
    private final int batches;

    FixedLoader(int batches) {
        this.batches = batches;
    }

    @Override
    public int batchesPerEpoch() {
        return batches;
    }

    @Override
    public long samples() {
        return batches;
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
                next++;
                return new Batch() {
                    @Override
                    public int size() {
                        return 1;
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
