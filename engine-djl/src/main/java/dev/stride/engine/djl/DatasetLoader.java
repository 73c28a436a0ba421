package dev.stride.engine.djl;

import ai.djl.training.dataset.RandomAccessDataset;
import dev.stride.engine.djl.data.DatasetSamples;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;
import org.apiguardian.api.API;

/**
 * Any DJL {@link RandomAccessDataset} ({@code ArrayDataset}, {@code ImageFolder},
 * {@code CsvDataset}, your own) as a Stride {@link DataLoader}: Stride's order (a pure function of
 * seed and epoch), batching, drop-last, sharding and background loading, and a resumed run starts
 * at its batch without reading the records before it (O(1)).
 *
 * <pre>{@code
 * ArrayDataset data = new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(32, false).build();
 * DataLoader train = DatasetLoader.builder(data, new DataSpec(new long[] {1, 28, 28}, 10))
 *         .batchSize(64).shuffle(true).seed(42).build();
 * }</pre>
 *
 * <p>Each record ({@code dataset.get(manager, index)}, read through a manager that is closed right
 * after) must hold one data array of {@code spec.sampleShape()}'s size (any numeric type; converted
 * to float32 and shaped as the spec says) and one label array:
 * <ul>
 *   <li>classification ({@code spec.numClasses() > 0}): one integral number, the class
 *       {@code 0..numClasses-1}; batches carry int64 labels {@code [n]};</li>
 *   <li>regression ({@code DataSpec.regression(shape, targets)}): {@code targets} numbers; batches
 *       carry float32 values {@code [n, targets]}.</li>
 * </ul>
 * A record that does not fit is a {@link dev.stride.runner.api.BadInputException} naming it. The
 * data set's own sampler (DJL's builders require {@code setSampling}) is not used: the order,
 * batch size and shuffling are the loader's. {@code prepare()} is called once, by {@link
 * Builder#build()}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class DatasetLoader {
    private DatasetLoader() {}

    /** A loader of {@code dataset} in batches of {@code batchSize}, shuffled each epoch from {@code seed} or in index order. */
    public static DataLoader of(RandomAccessDataset dataset, DataSpec spec, int batchSize, boolean shuffle, long seed) {
        return builder(dataset, spec).batchSize(batchSize).shuffle(shuffle).seed(seed).build();
    }

    /** A builder for a loader of {@code dataset}, whose records are described by {@code spec}. */
    public static Builder builder(RandomAccessDataset dataset, DataSpec spec) {
        return new Builder(dataset, spec);
    }

    /** The options of a {@link DatasetLoader}; each has the default of the built-in data sets. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public static final class Builder {
        private final RandomAccessDataset dataset;
        private final DataSpec spec;
        private int batchSize = 32;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private int prefetch = 2;
        private int workers = 1;
        private int shard;
        private int shards = 1;

        private Builder(RandomAccessDataset dataset, DataSpec spec) {
            this.dataset = dataset;
            this.spec = spec;
        }

        /** Samples per batch (default 32). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Shuffle each epoch (default {@code false}: index order). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** The seed of the order: epoch {@code e}'s order is a pure function of (seed, e). Default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Drop the last, smaller batch of an epoch (default {@code false}). */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Batches built ahead of the one in use, on background threads; 0 builds each on the caller's thread. Default 2. */
        public Builder prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /**
         * Threads building batches ahead (default 1). More than one calls {@code dataset.get}
         * from several threads at once: only for data sets whose {@code get} is thread-safe.
         * Batches are delivered in order and do not depend on the thread that built them.
         */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /**
         * Data-parallel training: this loader takes part {@code shard} of {@code shards} of every
         * global batch of {@code batchSize * shards} samples, so the shards together see the
         * batches of one loader with the global batch size. Default: part 0 of 1.
         */
        public Builder shard(int shard, int shards) {
            this.shard = shard;
            this.shards = shards;
            return this;
        }

        /**
         * Prepares the data set and returns the loader.
         *
         * @throws IllegalArgumentException for a batch size, worker count or shard out of range
         * @throws java.io.UncheckedIOException when the data set cannot be prepared
         */
        public DataLoader build() {
            return DatasetSamples.loader(dataset, spec, batchSize, shuffle, dropLast, prefetch, workers, shard, shards, seed);
        }
    }
}
