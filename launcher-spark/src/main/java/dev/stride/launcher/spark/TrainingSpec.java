package dev.stride.launcher.spark;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * What every rank of a data-parallel run is given: the resolved config (as text, so that the
 * files it was read from need not exist on the executors), the plugin folders, and the
 * {@code dist} options.
 *
 * @param config the resolved job config, rendered as JSON
 * @param valSplit each rank validates its share of data.val ({@link DataParallelTraining#splitsVal})
 * @param subject names the config in messages
 * @param fault a test switch, or null
 */
record TrainingSpec(String config, List<String> pluginDirs, DistOptions dist, boolean valSplit, String subject,
        InjectedFault fault)
        implements Serializable { // java-serialization: Spark ships it to the executors inside a RankTask
    private static final long serialVersionUID = 1L;

    /** The config for one rank: its shard of the train data, and of the val data when it is split. */
    Config configFor(int rank) {
        return sharded(parse(), rank, dist.workers(), valSplit);
    }

    Config parse() {
        return ConfigFactory.parseString(config, ConfigParseOptions.defaults().setOriginDescription(subject));
    }

    List<Path> plugins() {
        return pluginDirs.stream().map(Path::of).toList();
    }

    /** {@code config} with {@code data.train} (and {@code data.val} with {@code val}) set to take shard {@code rank} of {@code workers}. */
    static Config sharded(Config config, int rank, int workers, boolean val) {
        Config c = shard(config, "data.train", rank, workers);
        return val ? shard(c, "data.val", rank, workers) : c;
    }

    private static Config shard(Config config, String section, int rank, int workers) {
        return config.withValue(section + ".shard", ConfigValueFactory.fromAnyRef(rank, "dist: rank " + rank))
                .withValue(section + ".shards", ConfigValueFactory.fromAnyRef(workers, "dist.workers"));
    }
}
