package dev.stride.engine.djl.data;

import com.typesafe.config.Config;
import dev.stride.runner.api.support.Settings;

/**
 * The batching options every data set shares. {@code workers} (threads building batches ahead)
 * is an option of the data sets whose samples take work to prepare (image-folder); the others
 * build ahead on one thread.
 */
record LoaderOptions(int batchSize, boolean shuffle, boolean dropLast, int prefetch, int workers, int shard, int shards) {
    static LoaderOptions of(Config options) {
        int shards = Settings.intIn(options, "shards", 1, 4096);
        int workers = options.hasPath("workers") ? Settings.intIn(options, "workers", 0, 256) : 1;
        return new LoaderOptions(
                Settings.intIn(options, "batch-size", 1, 1 << 20),
                options.getBoolean("shuffle"),
                options.getBoolean("drop-last"),
                Settings.intIn(options, "prefetch", 0, 64),
                workers == 0 ? defaultWorkers() : workers,
                Settings.intIn(options, "shard", 0, shards - 1),
                shards);
    }

    /** Half the cores (the other half runs the engine's own threads), at least one. */
    static int defaultWorkers() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    DjlDataLoader loader(Samples data, long seed) {
        return new DjlDataLoader(data, this, seed);
    }
}
