package dev.stride.engine.djl.data;

import com.typesafe.config.Config;
import dev.stride.runner.api.support.Settings;

/** The batching options every data set shares. */
record LoaderOptions(int batchSize, boolean shuffle, boolean dropLast, int prefetch, int shard, int shards) {
    static LoaderOptions of(Config options) {
        int shards = Settings.intIn(options, "shards", 1, 4096);
        return new LoaderOptions(
                Settings.intIn(options, "batch-size", 1, 1 << 20),
                options.getBoolean("shuffle"),
                options.getBoolean("drop-last"),
                Settings.intIn(options, "prefetch", 0, 64),
                Settings.intIn(options, "shard", 0, shards - 1),
                shards);
    }

    DjlDataLoader loader(ArrayData data, long seed) {
        return new DjlDataLoader(data, batchSize, shuffle, dropLast, seed, prefetch, shard, shards);
    }
}
