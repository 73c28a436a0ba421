package dev.stride.launcher.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.stride.runner.api.BadInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code --set} on top of a config, as MMCV's {@code --cfg-options} does it:
 * <ul>
 *   <li>{@code key=value} sets a path ({@code optimizer.lr=0.05});
 *   <li>a number in the path indexes a list, from 0: {@code hooks.1.interval=2} sets the option of
 *       the second hook, {@code workflow.0.1=3} an element of an element;
 *   <li>{@code key+=value} appends: the elements of a list value ({@code hooks+=[{type = progress}]})
 *       or one value; a missing list is created.
 * </ul>
 * The value is HOCON (number, list, object) or else a plain string.
 */
public final class ConfigEdits {
    private ConfigEdits() {}

    /**
     * @param config the config so far, unresolved
     * @param defaults what an absent path stands for (the job's defaults), for appends and indices
     * @throws BadInputException naming the {@code --set} when it cannot apply
     */
    public static Config apply(Config config, Config defaults, String set) {
        int eq = set.indexOf('=');
        boolean append = eq > 0 && set.charAt(eq - 1) == '+';
        String key = eq <= 0 ? "" : set.substring(0, append ? eq - 1 : eq).trim();
        List<String> path = split(set, key);
        Config both = config.withFallback(defaults);
        ConfigValue root = both.root();
        if (!append && path.stream().noneMatch(ConfigEdits::isIndex) && !throughList(root, path)) {
            return JobConfig.override(set).withFallback(config);
        }
        ConfigValue value = JobConfig.override("v=" + set.substring(eq + 1)).getValue("v").withOrigin(
                ConfigFactory.empty("--set " + set).origin());
        ConfigValue edited;
        try {
            edited = edit(root, path, 0, value, append, set);
        } catch (ConfigException.NotResolved substitution) {
            throw new BadInputException("--set " + set + ": part of " + key + " is given by a ${...} substitution, which"
                    + " --set cannot look into; set the whole value instead");
        }
        String top = ConfigUtil.joinPath(path.get(0));
        return config.withValue(top, ((ConfigObject) edited).get(path.get(0)));
    }

    private static List<String> split(String set, String key) {
        if (key.isEmpty()) {
            throw new BadInputException("--set " + set + ": write --set key=value, e.g. --set runner.max-epochs=1");
        }
        try {
            return ConfigUtil.splitPath(key);
        } catch (ConfigException e) {
            throw new BadInputException("--set " + set + ": '" + key + "' is not a config path such as optimizer.lr or hooks.0.interval");
        }
    }

    /** Whether the path goes through a list (so a word where an index belongs is a mistake). */
    private static boolean throughList(ConfigValue node, List<String> path) {
        try {
            for (int i = 0; i < path.size() - 1 && node != null; i++) {
                if (node.valueType() == ConfigValueType.LIST) {
                    return true;
                }
                node = node.valueType() == ConfigValueType.OBJECT ? ((ConfigObject) node).get(path.get(i)) : null;
            }
            return node != null && node.valueType() == ConfigValueType.LIST && path.size() > 1;
        } catch (ConfigException.NotResolved substitution) {
            return false;
        }
    }

    private static boolean isIndex(String segment) {
        return segment.matches("\\d{1,9}");
    }

    /** {@code node} with the value at {@code path[at..]} set (or appended to). */
    private static ConfigValue edit(ConfigValue node, List<String> path, int at, ConfigValue value, boolean append, String set) {
        String where = at == 0 ? "the config" : ConfigUtil.joinPath(path.subList(0, at));
        if (at == path.size()) {
            if (!append) {
                return value;
            }
            if (node != null && node.valueType() != ConfigValueType.LIST) {
                throw new BadInputException("--set " + set + ": += appends to a list, but " + where + " is "
                        + describe(node));
            }
            List<ConfigValue> items = new ArrayList<>(node == null ? List.of() : (ConfigList) node);
            if (value.valueType() == ConfigValueType.LIST) {
                items.addAll((ConfigList) value);
            } else {
                items.add(value);
            }
            return ConfigValueFactory.fromIterable(items).withOrigin(value.origin());
        }
        String segment = path.get(at);
        if (node != null && node.valueType() == ConfigValueType.LIST) {
            ConfigList list = (ConfigList) node;
            if (!isIndex(segment)) {
                throw new BadInputException("--set " + set + ": " + where + " is a list; index it with a number from 0, e.g. "
                        + where + ".0");
            }
            int i = Integer.parseInt(segment);
            if (i >= list.size()) {
                throw new BadInputException("--set " + set + ": " + where + " has " + list.size() + " element"
                        + (list.size() == 1 ? "" : "s") + (list.isEmpty() ? "" : " (0.." + (list.size() - 1) + ")")
                        + "; append with --set " + where + "+=[...]");
            }
            List<ConfigValue> items = new ArrayList<>(list);
            items.set(i, edit(list.get(i), path, at + 1, value, append, set));
            return ConfigValueFactory.fromIterable(items).withOrigin(list.origin());
        }
        if (node != null && node.valueType() != ConfigValueType.OBJECT) {
            if (isIndex(segment)) {
                throw new BadInputException("--set " + set + ": " + where + " is " + describe(node) + ", not a list to index");
            }
            node = null; // a plain value replaced by an object, as HOCON does
        }
        ConfigObject object = node == null ? ConfigFactory.empty().root() : (ConfigObject) node;
        ConfigValue child = object.get(segment);
        if (child == null && isIndex(segment) && at + 1 <= path.size() && node == null) {
            throw new BadInputException("--set " + set + ": there is no list at " + where + " to index");
        }
        return object.withValue(segment, edit(child, path, at + 1, value, append, set));
    }

    private static String describe(ConfigValue v) {
        return switch (v.valueType()) {
            case OBJECT -> "an object";
            case LIST -> "a list";
            case NULL -> "null";
            default -> "'" + v.unwrapped() + "'";
        };
    }
}
