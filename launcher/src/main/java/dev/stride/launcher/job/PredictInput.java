package dev.stride.launcher.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.internal.Json;
import dev.stride.runner.api.spi.DatasetProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code stride predict --input X} reads: a data section of the config ({@code data.test}),
 * a file holding a data section ({@code .conf}, {@code .json}), or data given by its path, a
 * folder of images, a {@code .csv} or a {@code .npy} / {@code .npz} file. Data given by its path
 * is read without targets (a CSV's label column, an archive's {@code y}, class folders are not
 * needed) and prepared as the model's train data was:
 *
 * <ul>
 *   <li>a folder: every image below it, sorted by path, with the train data's channels, size,
 *       crop and normalisation when it was an {@code image-folder} (a random crop becomes the
 *       center crop, no flip), else sized to the sample shape the model was trained on;
 *   <li>a CSV: the feature columns the model was trained on, by name (other columns, the label
 *       among them, are left out), with the train data's delimiter, header and standardisation;
 *   <li>a {@code .npy} / {@code .npz}: with the train data's shape, scale and standardisation
 *       when it was {@code npy}.
 * </ul>
 *
 * The statistics (standardisation, class names) come from the checkpoint. Every sample is read
 * once, in order: no shuffle, no sample dropped, no augmentation.
 */
public final class PredictInput {
    /** Where the data to predict on goes in the config, so that it is checked as any data section is. */
    static final String AT = "data.test";
    /** The checkpoint metadata of the train data's statistics ({@code BaseRunner.DATA}'s section). */
    private static final String FEATURE_NAMES = "data.feature-names";
    private static final String FEATURE_MEAN = "data.feature-mean";

    private enum Kind {
        SECTION, FILE, FOLDER, CSV, NPY
    }

    private final Kind kind;
    private final String text;
    private final Path path;

    private PredictInput(Kind kind, String text, Path path) {
        this.kind = kind;
        this.text = text;
        this.path = path;
    }

    /** @throws BadInputException when {@code text} is none of the kinds, or names nothing */
    public static PredictInput parse(String text) {
        if (text.matches("data\\.(train|val|test)")) {
            return new PredictInput(Kind.SECTION, text, null);
        }
        Path p;
        try {
            p = Path.of(text).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new BadInputException("--input " + text + ": not a usable path: " + e.getMessage());
        }
        if (!Files.exists(p)) {
            throw new BadInputException("--input " + text + ": no such file or folder (looked at " + p + "); give data.test,"
                    + " a data config (.conf), a folder of images, a .csv or a .npy file");
        }
        if (Files.isDirectory(p)) {
            return new PredictInput(Kind.FOLDER, text, p);
        }
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        Kind kind = name.endsWith(".conf") || name.endsWith(".json") || name.endsWith(".hocon") ? Kind.FILE
                : name.endsWith(".csv") || name.endsWith(".tsv") ? Kind.CSV
                : name.endsWith(".npy") || name.endsWith(".npz") ? Kind.NPY : null;
        if (kind == null) {
            throw new BadInputException("--input " + text + ": Stride cannot tell what this file holds from its name; give"
                    + " data.test, a data config (.conf), a folder of images, a .csv or a .npy file");
        }
        return new PredictInput(kind, text, p);
    }

    /** Names the data in log lines: {@code data.test}, or the path given. */
    public String describe() {
        return text;
    }

    /** Names the data in messages about it: {@code data.test}, or {@code --input PATH}. */
    public String subject() {
        return kind == Kind.SECTION ? text : "--input " + text;
    }

    /**
     * The config with the data to predict on at {@code data.test} (a section of the config is left where it is).
     *
     * @param batchSize {@code --batch-size}, or {@code null}
     * @param checkpoint the checkpoint, for messages
     * @param metadata the checkpoint's metadata: what the model was trained on, and the train data's statistics
     */
    public Config apply(Config config, Integer batchSize, Path checkpoint, Map<String, String> metadata) {
        String at = kind == Kind.SECTION ? text : AT;
        if (kind == Kind.SECTION && !hasSection(config, text)) {
            List<String> there = new ArrayList<>();
            for (String k : List.of("train", "val", "test")) {
                if (hasSection(config, "data." + k)) {
                    there.add("data." + k);
                }
            }
            throw new BadInputException("--input " + text + ": the config has no " + text + " section"
                    + (there.isEmpty() ? "" : " (it has " + String.join(", ", there) + ")")
                    + "; give one of those, or the data itself: a folder of images, a .csv or a .npy file");
        }
        DataSpec spec = RecordedConfig.dataSpec(checkpoint, metadata);
        Config section = switch (kind) {
            case SECTION -> null;
            case FILE -> file();
            case FOLDER -> folder(config, spec);
            case CSV -> csv(config, spec, checkpoint, metadata);
            case NPY -> npy(config, spec, metadata);
        };
        Config out = section == null ? config : config.withValue(AT, section.root());
        if (batchSize != null) {
            out = out.withValue(at + ".batch-size", ConfigValueFactory.fromAnyRef(batchSize, "--batch-size"));
        }
        return out;
    }

    private static boolean hasSection(Config config, String at) {
        return config.hasPath(at) && config.getValue(at).valueType() == ConfigValueType.OBJECT;
    }

    /**
     * The planned section, set to read every sample once, in order and as it is: no shuffle, no
     * sample dropped or skipped, no random augmentation ({@link TrainedModel#loader} reads all
     * shards).
     */
    public JobPlan.Section<DatasetProvider> section(JobPlan plan) {
        JobPlan.Section<DatasetProvider> s = switch (kind == Kind.SECTION ? text : AT) {
            case "data.train" -> plan.data.get(Mode.TRAIN);
            case "data.val" -> plan.data.get(Mode.VAL);
            default -> plan.test;
        };
        if (s == null) {
            throw new BadInputException("--input " + text + ": the config has no " + text + " section");
        }
        String why = "stride predict reads every sample once, in order";
        Config options = s.options();
        options = set(options, "shuffle", false, why);
        options = set(options, "drop-last", false, why);
        options = set(options, "skip-bad", false, why);
        if ("image-folder".equals(s.provider().name())) {
            options = set(options, "flip", 0.0, "stride predict does not augment");
            if (options.hasPath("crop") && "random".equalsIgnoreCase(options.getString("crop"))) {
                options = options.withValue("crop", ConfigValueFactory.fromAnyRef("center", "stride predict takes the center"
                        + " crop where training took a random one"));
            }
        }
        if (kind != Kind.SECTION && kind != Kind.FILE) {
            // made by Stride from the path given: messages name the path, not the train data's lines
            options = options.root().withOrigin(ConfigOriginFactory.newSimple(subject())).toConfig();
        }
        return new JobPlan.Section<>(s.provider(), options);
    }

    private static Config set(Config options, String key, Object value, String why) {
        return options.hasPath(key) ? options.withValue(key, ConfigValueFactory.fromAnyRef(value, why)) : options;
    }

    private Config file() {
        try {
            Config c = ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
            if (!c.hasPath("type")) {
                throw new BadInputException(path + ": a data section for --input needs a 'type', e.g. { type = csv, file = ... }");
            }
            return c;
        } catch (ConfigException e) {
            throw new BadInputException("--input " + text + " cannot be read: " + e.getMessage());
        }
    }

    /** Every image below the folder, without labels, prepared as the train images were. */
    private Config folder(Config config, DataSpec spec) {
        Config train = train(config, "image-folder");
        Config base;
        if (train != null) {
            base = without(train, "split", "labels");
        } else {
            base = start("image-folder");
            long[] shape = spec != null ? spec.sampleShape() : null;
            if (shape != null && shape.length == 3 && (shape[0] == 1 || shape[0] == 3)) {
                // sized to what the model was trained on, e.g. MNIST's [1, 28, 28]
                base = put(base, "channels", (int) shape[0], "the model's samples, " + java.util.Arrays.toString(shape));
                base = put(base, "size", List.of((int) shape[1], (int) shape[2]),
                        "the model's samples, " + java.util.Arrays.toString(shape));
            }
            Config any = train(config, "mnist-idx");
            if (any != null) {
                // mnist-idx scales pixels as image-folder does: (x / 255 - mean) / std
                for (String key : List.of("mean", "std")) {
                    if (any.hasPath(key) && any.getValue(key).valueType() == ConfigValueType.NUMBER) {
                        base = put(base, key, List.of(any.getDouble(key)), "data.train's " + key);
                    }
                }
            }
        }
        base = put(base, "root", path.toString(), "--input " + text);
        return put(base, "labels", false, "--input " + text + " (stride predict needs no labels)");
    }

    /** The feature columns the model was trained on, without the label. */
    private Config csv(Config config, DataSpec spec, Path checkpoint, Map<String, String> metadata) {
        Config train = train(config, "csv");
        Config base = train != null ? without(train, "file", "label", "features") : start("csv");
        boolean tsv = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tsv");
        if (tsv || train == null) {
            base = put(base, "delimiter", tsv ? "\t" : ",", "--input " + text);
        }
        base = put(base, "file", path.toString(), "--input " + text);
        base = put(base, "label", "", "--input " + text + " (stride predict needs no labels)");
        List<String> features = strings(metadata.get(FEATURE_NAMES), checkpoint);
        if (features != null && !features.isEmpty()) {
            base = put(base, "features", features, "--input " + text + " (read with the features the model was trained on)");
        } else if (train != null && train.hasPath("features")) {
            base = base.withValue("features", train.getValue("features"));
        }
        return like(base, train, spec, metadata);
    }

    private Config npy(Config config, DataSpec spec, Map<String, String> metadata) {
        Config train = train(config, "npy");
        Config base = train != null ? without(train, "x", "y", "file") : start("npy");
        if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz")) {
            base = put(base, "file", path.toString(), "--input " + text);
            base = put(base, "y-key", "", "--input " + text + " (stride predict needs no targets)");
        } else {
            base = put(base, "x", path.toString(), "--input " + text);
        }
        if (train == null && spec != null) {
            base = put(base, "shape", toList(spec.sampleShape()), "the model's samples");
        }
        return like(base, train, spec, metadata);
    }

    /** Tabular data read as the train data was: its task, and standardised when it was. */
    private static Config like(Config base, Config train, DataSpec spec, Map<String, String> metadata) {
        if (spec != null) {
            base = put(base, "task", spec.isRegression() ? "regression" : "classification", "the model's task");
        }
        if (train == null) {
            base = put(base, "standardize", metadata.containsKey(FEATURE_MEAN), "the train data's statistics");
        }
        return base;
    }

    private static List<Long> toList(long[] v) {
        List<Long> out = new ArrayList<>();
        for (long x : v) {
            out.add(x);
        }
        return out;
    }

    private static List<String> strings(String json, Path checkpoint) {
        if (json == null) {
            return null;
        }
        try {
            if (Json.parse(json) instanceof List<?> l && l.stream().allMatch(o -> o instanceof String)) {
                return l.stream().map(String.class::cast).toList();
            }
        } catch (Json.SyntaxException e) {
            // below
        }
        throw new BadInputException(checkpoint + ": " + FEATURE_NAMES + " is not a list of column names: the checkpoint was not"
                + " written by this Stride, or was altered");
    }

    private Config start(String type) {
        return ConfigFactory.empty("--input " + text).withValue("type", ConfigValueFactory.fromAnyRef(type, "--input " + text));
    }

    private static Config put(Config c, String key, Object value, String origin) {
        return c.withValue(key, ConfigValueFactory.fromAnyRef(value, origin));
    }

    /**
     * The train data's section when it is of {@code type}, without the keys about its files and
     * about reading them for training; else {@code null}.
     */
    private static Config train(Config config, String type) {
        if (!config.hasPath("data.train")) {
            return null;
        }
        ConfigValue train = config.getValue("data.train");
        if (train.valueType() != ConfigValueType.OBJECT) {
            return null;
        }
        Config c = ((ConfigObject) train).toConfig();
        if (!c.hasPath("type") || !type.equals(String.valueOf(c.getValue("type").unwrapped()))) {
            return null;
        }
        return without(c, "shuffle", "drop-last", "limit", "shard", "shards");
    }

    private static Config without(Config c, String... keys) {
        for (String key : keys) {
            c = c.withoutPath(key);
        }
        return c;
    }
}
