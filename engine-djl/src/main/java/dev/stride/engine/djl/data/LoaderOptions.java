package dev.stride.engine.djl.data;

import com.typesafe.config.Config;
import dev.stride.runner.api.support.Settings;

/** The batching options every data set shares. */
record LoaderOptions(int batchSize, boolean shuffle, boolean dropLast, int prefetch) {
    static LoaderOptions of(Config options) {
        return new LoaderOptions(
                Settings.intIn(options, "batch-size", 1, 1 << 20),
                options.getBoolean("shuffle"),
                options.getBoolean("drop-last"),
                Settings.intIn(options, "prefetch", 0, 64));
    }

    DjlDataLoader loader(ArrayData data, long seed) {
        return new DjlDataLoader(data, batchSize, shuffle, dropLast, seed, prefetch);
    }
}
