package dev.stride.launcher.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.internal.Printable;
import dev.stride.runner.api.spi.ProviderKind;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings a resumed run must share with the run that wrote its checkpoint to continue it bit
 * for bit: the seed, the workflow, the runner type, and every option of {@code data.train} and
 * {@code data.val} but {@code prefetch} (batch size, shuffling, drop-last, the data set, its
 * files, split, limit, normalisation ...). Both sides are compared as recorded (values from
 * environment variables by their references), each data section with its provider's defaults.
 */
public final class ResumeChanges {
    private static final Set<String> IGNORED_DATA_KEYS = Set.of("prefetch");

    private ResumeChanges() {}

    /**
     * Each setting that differs, as {@code "key: X in the checkpoint, Y now"}; empty when none does,
     * or when the checkpoint records no config (then {@code resume} itself judges the file).
     */
    public static List<String> between(Path checkpoint, JobPlan plan) {
        String stored = CheckpointFiles.readMetadata(checkpoint).get("config");
        if (stored == null) {
            return List.of();
        }
        Config then;
        try {
            then = ConfigFactory.parseString(stored);
        } catch (ConfigException e) {
            return List.of(); // a damaged header: the full read on resume names it
        }
        Config now = plan.recorded;
        List<String> out = new ArrayList<>();
        for (String key : List.of("seed", "workflow", "runner.type")) {
            compare(key, value(then, key), value(now, key), out);
        }
        for (Mode mode : List.of(Mode.TRAIN, Mode.VAL)) {
            String path = "data." + mode.id();
            JobPlan.Section<?> section = plan.data.get(mode);
            Config defaults = section == null ? ConfigFactory.empty() : ProviderRegistry.defaults(ProviderKind.DATASET, section.provider());
            Config a = then.hasPath(path) && then.getValue(path).valueType() == ConfigValueType.OBJECT
                    ? then.getConfig(path) : null;
            Config b = now.hasPath(path) && now.getValue(path).valueType() == ConfigValueType.OBJECT
                    ? now.getConfig(path) : null;
            if (a == null || b == null) {
                compare(path, a == null ? null : a.root(), b == null ? null : b.root(), out);
                continue;
            }
            Object typeThen = a.hasPath("type") ? a.getValue("type").unwrapped() : null;
            Object typeNow = b.hasPath("type") ? b.getValue("type").unwrapped() : null;
            if (!String.valueOf(typeThen).equals(String.valueOf(typeNow))) {
                compare(path + ".type", value(a, "type"), value(b, "type"), out);
                continue;
            }
            a = a.withFallback(defaults);
            b = b.withFallback(defaults);
            Set<String> keys = new TreeSet<>(a.root().keySet());
            keys.addAll(b.root().keySet());
            keys.removeAll(IGNORED_DATA_KEYS);
            for (String k : keys) {
                compare(path + "." + k, a.root().get(k), b.root().get(k), out);
            }
        }
        return out;
    }

    private static ConfigValue value(Config c, String path) {
        return c.hasPathOrNull(path) ? c.getValue(path) : null;
    }

    private static void compare(String key, ConfigValue then, ConfigValue now, List<String> out) {
        Object a = then == null ? null : normal(then.unwrapped());
        Object b = now == null ? null : normal(now.unwrapped());
        if (a == null ? b != null : !a.equals(b)) {
            out.add(key + ": " + show(then) + " in the checkpoint, " + show(now) + " now");
        }
    }

    /** Numbers by value (64 = 64.0), everything else as it is, lists and objects element by element. */
    private static Object normal(Object v) {
        if (v instanceof Number n) {
            try {
                return new BigDecimal(n.toString()).stripTrailingZeros();
            } catch (NumberFormatException nan) {
                return n.toString();
            }
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(normal(x)));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, normal(x)));
            return out;
        }
        return v;
    }

    private static String show(ConfigValue v) {
        if (v == null || v.valueType() == ConfigValueType.NULL) {
            return v == null ? "(not set)" : "null";
        }
        String text = v.valueType() == ConfigValueType.STRING ? (String) v.unwrapped()
                : v.render(com.typesafe.config.ConfigRenderOptions.concise());
        return Printable.of(text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }
}
