package dev.stride.launcher.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.stride.launcher.ModelWeights;
import dev.stride.launcher.Problems;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.spi.DatasetProvider;
import dev.stride.runner.api.support.BaseRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A checkpoint with the config it was trained with, for {@code stride test} and
 * {@code stride predict}: the config is the one given, or else the one the checkpoint records
 * ({@link RecordedConfig}); the model is built for what the checkpoint says it was trained on
 * (its {@code data.spec}) and gets the checkpoint's weights; data loaders get the statistics the
 * train data was prepared with (standardisation, class order).
 */
public final class TrainedModel {
    public final Path checkpoint;
    /** Names the config in messages: its file, or "the config recorded in CHECKPOINT". */
    public final String configName;
    /** How messages name the weights: the option that gave them, or the checkpoint itself. */
    private final String weightsSource;
    public final JobPlan plan;
    private final Checkpoint state;
    private final DataSpec recordedSpec;

    private TrainedModel(Path checkpoint, String configName, String weightsSource, JobPlan plan, Checkpoint state,
            DataSpec recordedSpec) {
        this.checkpoint = checkpoint;
        this.configName = configName;
        this.weightsSource = weightsSource;
        this.plan = plan;
        this.state = state;
        this.recordedSpec = recordedSpec;
    }

    /**
     * @param configFile the config, or {@code null} for the checkpoint's own
     * @param sets {@code --set key=value} overrides
     * @param edit a last change to the config before it is planned (e.g. the data to predict on),
     *     given the checkpoint's metadata too
     * @param pluginDirs plugin folders given on the command line
     * @param giveConfig the command line that gives a config, for the message when the checkpoint
     *     records none
     */
    public static TrainedModel open(Path checkpoint, Path configFile, List<String> sets,
            BiFunction<Config, Map<String, String>, Config> edit, List<Path> pluginDirs, String giveConfig) {
        Checkpoint state = CheckpointFiles.read(checkpoint);
        Config cfg = configFile != null ? JobConfig.load(configFile, sets)
                : RecordedConfig.read(checkpoint, state.metadata(), sets, giveConfig);
        cfg = edit.apply(cfg, state.metadata());
        String name = configFile != null ? "The config " + configFile : "The config recorded in " + checkpoint;
        List<Path> dirs = new ArrayList<>(pluginDirs);
        dirs.addAll(JobConfig.pluginDirs(cfg));
        ProviderRegistry registry = Plugins.registry(Plugins.folders(dirs));
        JobPlan plan = JobPlan.of(cfg, registry, name);
        String source = configFile != null ? "--checkpoint " + checkpoint : "checkpoint " + checkpoint;
        return new TrainedModel(checkpoint, name, source, plan, state, RecordedConfig.dataSpec(checkpoint, state.metadata()));
    }

    /**
     * A loader of one data section, in order, prepared with the train data's statistics: all of it,
     * also when the checkpoint records one rank's shard (Spark's ranks split data.val).
     */
    public DataLoader loader(JobPlan.Section<DatasetProvider> section) {
        Config options = section.options();
        if (options.hasPath("shards")) {
            String why = "an evaluation reads all of the data, not a rank's shard";
            options = options.withValue("shard", ConfigValueFactory.fromAnyRef(0, why))
                    .withValue("shards", ConfigValueFactory.fromAnyRef(1, why));
        }
        DataLoader loader = section.provider().create(options, Mode.VAL, plan.seed);
        loader.loadState(state.section(BaseRunner.DATA, BaseRunner.DATA));
        return loader;
    }

    /**
     * The model with the checkpoint's weights, built for the data the checkpoint records (or
     * {@code fallback}'s, for checkpoints that do not say), checked against {@code data}.
     *
     * @param which names the data in messages, e.g. {@code data.test} or {@code --input photos}
     * @param options the model's options (those of the plan, perhaps adjusted)
     */
    public Model model(Config options, DataLoader data, String which, JobPlan.Section<DatasetProvider> section) {
        DataSpec spec = recordedSpec != null ? recordedSpec : data.spec();
        Model model = plan.model.provider().create(options, spec, plan.seed);
        try {
            DataSpec built = model.dataSpec() != null ? model.dataSpec() : spec;
            // data without targets (to predict on) has only its samples' shape to fit
            DataSpec given = data.hasTargets() ? data.spec()
                    : new DataSpec(data.spec().sampleShape(), built.numClasses(), built.classNames(), built.targets());
            String where = Problems.where(section.options().origin());
            List<String> misfit = Job.mismatch(built, given, which, where.equals(which + ": ") ? "" : where,
                    Problems.where(plan.model.options().origin()));
            if (!misfit.isEmpty()) {
                throw new BadInputException("The model of " + checkpoint + " does not fit the data: " + String.join("; ", misfit));
            }
            ModelWeights.load(model, checkpoint, true, List.of(), weightsSource);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** What the model was built for. */
    public DataSpec spec(DataLoader data) {
        return recordedSpec != null ? recordedSpec : data.spec();
    }

    public Map<String, String> metadata() {
        return state.metadata();
    }
}
