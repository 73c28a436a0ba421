package dev.stride.launcher.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.stride.runner.api.BadInputException;
import dev.stride.launcher.ModelWeights;
import dev.stride.launcher.Problems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code load-from}: start a new run from trained weights. Either a path,
 * {@code load-from = "work_dirs/x/epoch_4.safetensors"}, or an object
 * {@code load-from { file = "...", strict = true, revise-keys = [["^module\\.", ""]] }}.
 */
public record LoadFrom(Path file, boolean strict, List<ModelWeights.Rename> revise) {
    private static final Set<String> KEYS = Set.of("file", "strict", "revise-keys");

    /**
     * @param cliFile {@code --load-from FILE}, which replaces the config's file, or null
     * @return null when there is nothing to load
     */
    public static LoadFrom of(Config config, Path cliFile) {
        boolean strict = true;
        List<ModelWeights.Rename> revise = new ArrayList<>();
        Path file = null;
        if (config.hasPath("load-from")) {
            ConfigValue v = config.getValue("load-from");
            if (v.valueType() == ConfigValueType.STRING) {
                file = Path.of((String) v.unwrapped());
            } else if (v.valueType() == ConfigValueType.OBJECT) {
                Config o = config.getConfig("load-from");
                Problems problems = new Problems();
                for (String k : o.root().keySet()) {
                    if (!KEYS.contains(k)) {
                        problems.add(o.getValue(k).origin(), "load-from." + k, "unknown option; use file, strict, revise-keys");
                    }
                }
                problems.throwIfAny("load-from");
                try {
                    if (o.hasPath("file")) {
                        file = Path.of(o.getString("file"));
                    }
                    if (o.hasPath("strict")) {
                        strict = o.getBoolean("strict");
                    }
                    if (o.hasPath("revise-keys")) {
                        revise = renames(o.getList("revise-keys"));
                    }
                } catch (ConfigException e) {
                    throw new BadInputException(e.getMessage());
                }
            } else {
                throw new BadInputException(Problems.where(v.origin()) + "load-from: expected a checkpoint path or"
                        + " { file = ..., strict = ..., revise-keys = [[regex, replacement], ...] }");
            }
        }
        if (cliFile != null) {
            file = cliFile;
        }
        return file == null ? null : new LoadFrom(file, strict, revise);
    }

    private static List<ModelWeights.Rename> renames(ConfigList list) {
        List<ModelWeights.Rename> out = new ArrayList<>();
        for (ConfigValue item : list) {
            if (item.valueType() != ConfigValueType.LIST || ((ConfigList) item).size() != 2) {
                throw new BadInputException(Problems.where(item.origin()) + "load-from.revise-keys: each entry is a pair"
                        + " [regex, replacement], e.g. [\"^module\\\\.\", \"\"]");
            }
            ConfigList pair = (ConfigList) item;
            out.add(ModelWeights.Rename.of(String.valueOf(pair.get(0).unwrapped()), String.valueOf(pair.get(1).unwrapped())));
        }
        return out;
    }
}
