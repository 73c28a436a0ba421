package dev.stride.launcher.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.internal.DataSpecs;
import dev.stride.runner.api.DataSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The config a checkpoint was trained with, as its {@code config} metadata records it (resolved,
 * values from environment variables left as their references), with {@code --set} overrides on
 * top and the defaults of {@code stride.job} below: what {@code stride test CHECKPOINT} and
 * {@code stride predict CHECKPOINT} run with when no config is given.
 */
public final class RecordedConfig {
    /** The checkpoint metadata key of the recorded config. */
    public static final String KEY = "config";

    private RecordedConfig() {}

    /**
     * @param metadata the checkpoint's metadata
     * @throws BadInputException when the checkpoint records no config, or a {@code --set} is malformed
     */
    public static Config read(Path checkpoint, Map<String, String> metadata, List<String> sets) {
        return read(checkpoint, metadata, sets, "stride test CONFIG --checkpoint " + checkpoint);
    }

    /**
     * @param giveConfig the command line that gives the config, for the message when the
     *     checkpoint records none, e.g. {@code stride test CONFIG --checkpoint FILE}
     */
    public static Config read(Path checkpoint, Map<String, String> metadata, List<String> sets, String giveConfig) {
        String text = metadata.get(KEY);
        if (text == null) {
            throw new BadInputException(checkpoint + " does not record the config it was trained with; give it: " + giveConfig);
        }
        try {
            Config merged = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON)
                    .setOriginDescription("the config recorded in " + checkpoint));
            Config defaults = JobConfig.defaults();
            return JobConfig.edited(merged, defaults, sets).withFallback(defaults).resolve();
        } catch (ConfigException e) {
            throw new BadInputException("the config recorded in " + checkpoint + " cannot be read: " + e.getMessage());
        }
    }

    /** What the checkpoint's model was built for, or {@code null} when the checkpoint does not say. */
    public static DataSpec dataSpec(Path checkpoint, Map<String, String> metadata) {
        String json = metadata.get(DataSpecs.KEY);
        return json == null ? null : DataSpecs.fromJson(json, checkpoint + " (metadata " + DataSpecs.KEY + ")");
    }
}
