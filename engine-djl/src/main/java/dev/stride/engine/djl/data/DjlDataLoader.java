package dev.stride.engine.djl.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.stride.engine.djl.DjlBatch;
import dev.stride.engine.djl.model.Djl;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * Batches of an in-memory data set in the order {@link EpochOrder} gives for (seed, epoch),
 * optionally prepared ahead on a background thread. Sharded ({@code shards > 1}, data-parallel
 * training), every shard walks the same order in global batches of {@code batch-size * shards}
 * samples and takes its own equal part of each, so the shards together see exactly the batches of
 * one loader with the global batch size.
 */
final class DjlDataLoader implements DataLoader {
    private final ArrayData data;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final int prefetch;
    private final int shard;
    private final int shards;

    DjlDataLoader(ArrayData data, int batchSize, boolean shuffle, boolean dropLast, long seed, int prefetch, int shard,
            int shards) {
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
        this.prefetch = prefetch;
        this.shard = shard;
        this.shards = shards;
    }

    @Override
    public int batchesPerEpoch() {
        int n = data.count();
        int global = batchSize * shards;
        int rest = n % global;
        // a short last batch is kept unless drop-last, or unless it cannot give every shard a sample
        return n / global + (rest > 0 && !dropLast && rest >= shards ? 1 : 0);
    }

    @Override
    public long samples() {
        return data.count();
    }

    @Override
    public DataSpec spec() {
        return data.spec();
    }

    @Override
    public BatchStream open(long epoch, int firstBatch) {
        if (firstBatch < 0 || firstBatch > batchesPerEpoch()) {
            throw new IllegalArgumentException("batch " + firstBatch + " is outside 0.." + batchesPerEpoch());
        }
        int[] order = EpochOrder.of(data.count(), shuffle, seed, epoch);
        SequentialStream s = new SequentialStream(order, firstBatch);
        return prefetch > 0 ? new PrefetchStream(s, prefetch) : s;
    }

    /** Builds batch {@code index} of an epoch's order. */
    DjlBatch batch(int[] order, int index) {
        int globalFrom = index * batchSize * shards;
        int global = Math.min(order.length, globalFrom + batchSize * shards) - globalFrom;
        int from = globalFrom + (int) ((long) global * shard / shards);
        int to = globalFrom + (int) ((long) global * (shard + 1) / shards);
        int n = to - from;
        int size = (int) data.spec().sampleSize();
        // filled straight into direct buffers, which the engine takes without another copy
        ByteBuffer xBytes = ByteBuffer.allocateDirect(n * size * Float.BYTES).order(ByteOrder.nativeOrder());
        ByteBuffer yBytes = ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder());
        FloatBuffer x = xBytes.asFloatBuffer();
        LongBuffer y = yBytes.asLongBuffer();
        float[] features = data.features();
        int[] labels = data.labels();
        for (int i = 0; i < n; i++) {
            int s = order[from + i];
            x.put(features, s * size, size);
            y.put(labels[s]);
        }
        long[] sample = data.spec().sampleShape();
        long[] shape = new long[sample.length + 1];
        shape[0] = n;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        NDManager manager = Djl.manager().newSubManager();
        NDArray xs = manager.create(xBytes, new Shape(shape), DataType.FLOAT32);
        NDArray ys = manager.create(yBytes, new Shape(n), DataType.INT64);
        return new DjlBatch(manager, xs, ys, n);
    }

    private final class SequentialStream implements BatchStream {
        private final int[] order;
        private int next;

        SequentialStream(int[] order, int first) {
            this.order = order;
            this.next = first;
        }

        @Override
        public boolean hasNext() {
            return next < batchesPerEpoch();
        }

        @Override
        public DjlBatch next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException("the epoch has " + batchesPerEpoch() + " batches");
            }
            return batch(order, next++);
        }

        @Override
        public void close() {}
    }
}
