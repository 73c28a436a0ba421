package dev.stride.engine.djl.data;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.support.Settings;

/**
 * The batching options every data set shares. {@code workers} (threads building batches ahead)
 * is an option of the data sets whose samples take work to prepare (image-folder); the others
 * build ahead on one thread. {@code prefetch = auto} ({@link #AUTO}) sizes the queue of batches
 * built ahead by their bytes ({@link #autoPrefetch}).
 */
record LoaderOptions(int batchSize, boolean shuffle, boolean dropLast, int prefetch, int workers, int shard, int shards) {
    static LoaderOptions of(Config options) {
        int shards = Settings.intIn(options, "shards", 1, 4096);
        int workers = options.hasPath("workers") ? Settings.intIn(options, "workers", 0, 256) : 1;
        return new LoaderOptions(
                Settings.intIn(options, "batch-size", 1, 1 << 20),
                options.getBoolean("shuffle"),
                options.getBoolean("drop-last"),
                prefetch(options),
                workers == 0 ? defaultWorkers() : workers,
                Settings.intIn(options, "shard", 0, shards - 1),
                shards);
    }

    /** {@code prefetch = auto}: sized by {@link #autoPrefetch} once the loader knows its batches. */
    static final int AUTO = -1;
    /** What {@code prefetch = auto} keeps built ahead at most, in bytes of inputs. */
    static final long AUTO_BYTES = 16L << 20;

    private static int prefetch(Config options) {
        if (options.hasPath("prefetch")) {
            ConfigValue v = options.getValue("prefetch");
            if ("auto".equals(v.unwrapped())) {
                return AUTO;
            }
            if (v.valueType() != ConfigValueType.NUMBER) {
                throw new BadInputException(Settings.where(v.origin()) + "prefetch: '" + v.unwrapped()
                        + "': use auto or a number of batches 0..64 (0 = none)");
            }
        }
        return Settings.intIn(options, "prefetch", 0, 64);
    }

    /**
     * The batches {@code prefetch = auto} builds ahead: as many as {@link #AUTO_BYTES} of inputs
     * hold, 2 to 16. The queue is topped up at half of it, so small batches (MNIST's: 200 KB)
     * wake the building thread once every 8 batches.
     */
    static int autoPrefetch(DataSpec spec, int batchSize) {
        long perSample = 4;
        for (long d : spec.sampleShape()) {
            perSample *= Math.max(1, d);
        }
        long batches = AUTO_BYTES / Math.max(1, perSample * batchSize);
        return (int) Math.max(2, Math.min(16, batches));
    }

    /** Half the cores (the other half runs the engine's own threads), at least one. */
    static int defaultWorkers() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    DjlDataLoader loader(Samples data, long seed) {
        return new DjlDataLoader(data, this, seed);
    }
}
