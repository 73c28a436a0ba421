package dev.stride.launcher.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.spi.DatasetProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code stride predict --input X} reads: a data section of the config ({@code data.test}),
 * a file holding a data section ({@code .conf}, {@code .json}), or data given by its path, a
 * folder of images, a {@code .csv} or a {@code .npy} file, read with the options the model was
 * trained with when the train data is of that kind (the same columns, image size and
 * normalisation; no augmentation), else with the kind's defaults. The data is read in order, no
 * sample dropped.
 */
public final class PredictInput {
    /** Where the data to predict on goes in the config, so that it is checked as any data section is. */
    static final String AT = "data.test";

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

    /** @throws BadInputException when {@code text} is none of the kinds */
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

    /** Names the data in messages: {@code data.test}, or the path given. */
    public String describe() {
        return text;
    }

    /** The config with the data to predict on at {@code data.test} (a section of the config is left where it is). */
    public Config apply(Config config, Integer batchSize) {
        Config section = switch (kind) {
            case SECTION -> null;
            case FILE -> file();
            case FOLDER -> derived(config, "image-folder", Map.of("root", path.toString()), "split", "crop", "flip");
            case CSV -> derived(config, "csv", Map.of("file", path.toString(), "delimiter",
                    path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tsv") ? "\t" : ","));
            case NPY -> derived(config, "npy", path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz")
                    ? Map.of("file", path.toString()) : Map.of("x", path.toString()), "x", "y", "file");
        };
        String at = kind == Kind.SECTION ? text : AT;
        Config out = section == null ? config : config.withValue(AT, section.root());
        if (batchSize != null && out.hasPath(at)) {
            out = out.withValue(at + ".batch-size", ConfigValueFactory.fromAnyRef(batchSize, "--batch-size"));
        }
        return out;
    }

    /** The planned section, set to read every sample in order. */
    public JobPlan.Section<DatasetProvider> section(JobPlan plan) {
        JobPlan.Section<DatasetProvider> s = switch (kind == Kind.SECTION ? text : AT) {
            case "data.train" -> plan.data.get(Mode.TRAIN);
            case "data.val" -> plan.data.get(Mode.VAL);
            default -> plan.test;
        };
        if (s == null) {
            throw new BadInputException("--input " + text + ": the config has no " + text + " section");
        }
        Config options = s.options();
        for (String key : new String[] {"shuffle", "drop-last"}) {
            if (options.hasPath(key)) {
                options = options.withValue(key, ConfigValueFactory.fromAnyRef(false, "stride predict reads every sample in order"));
            }
        }
        return new JobPlan.Section<>(s.provider(), options);
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

    /**
     * The train data's section when it is of {@code type} (without the keys listed in {@code drop},
     * which are about the train files or augmentation), else a new one; with {@code set} on top.
     */
    private static Config derived(Config config, String type, Map<String, String> set, String... drop) {
        Config base = ConfigFactory.empty().withValue("type", ConfigValueFactory.fromAnyRef(type));
        if (config.hasPath("data.train")) {
            ConfigValue train = config.getValue("data.train");
            if (train.valueType() == ConfigValueType.OBJECT && type.equals(((ConfigObject) train).toConfig().hasPath("type")
                    ? String.valueOf(((ConfigObject) train).toConfig().getValue("type").unwrapped()) : null)) {
                base = ((ConfigObject) train).toConfig();
                for (String key : drop) {
                    base = base.withoutPath(key);
                }
                for (String key : new String[] {"shuffle", "drop-last", "limit", "shard", "shards"}) {
                    base = base.withoutPath(key);
                }
            }
        }
        for (Map.Entry<String, String> e : set.entrySet()) {
            base = base.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue(), "--input"));
        }
        return base;
    }
}
