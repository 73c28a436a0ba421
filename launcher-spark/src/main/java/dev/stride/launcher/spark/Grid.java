package dev.stride.launcher.spark;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.stride.runner.api.BadInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The points of a sweep: every combination of the values given by {@code --grid key=[v1, v2]}
 * options, the first option varying slowest. Values are HOCON, like those of {@code --set}:
 * {@code --grid model.hidden=[[128],[256]]} tries {@code hidden = [128]} and {@code [256]}.
 */
final class Grid {
    /** One {@code --grid} option: a config path and the values it takes, as HOCON text. */
    record Axis(String key, List<String> values) {}

    private final List<Axis> axes;

    private Grid(List<Axis> axes) {
        this.axes = axes;
    }

    /** @throws BadInputException naming the option and the fix */
    static Grid parse(List<String> options) {
        if (options.isEmpty()) {
            throw new BadInputException("a sweep needs at least one --grid key=[value, ...], e.g. --grid optimizer.lr=[0.1,0.05]");
        }
        List<Axis> axes = new ArrayList<>();
        for (String option : options) {
            axes.add(axis(option));
        }
        return new Grid(axes);
    }

    private static Axis axis(String option) {
        int eq = option.indexOf('=');
        String fix = ": write --grid key=[value, ...], e.g. --grid optimizer.lr=[0.1,0.05]";
        if (eq <= 0) {
            throw new BadInputException("--grid " + option + fix);
        }
        String key = option.substring(0, eq).trim();
        try {
            ConfigUtil.splitPath(key);
        } catch (ConfigException e) {
            throw new BadInputException("--grid " + option + ": '" + key + "' is not a config path such as optimizer.lr");
        }
        ConfigValue list;
        try {
            list = ConfigFactory.parseString("values = " + option.substring(eq + 1)).getValue("values");
        } catch (ConfigException e) {
            throw new BadInputException("--grid " + option + ": the values are not HOCON (" + e.getMessage() + ")" + fix);
        }
        if (list.valueType() != ConfigValueType.LIST || ((ConfigList) list).isEmpty()) {
            throw new BadInputException("--grid " + option + ": the values must be a non-empty list" + fix);
        }
        List<String> values = new ArrayList<>();
        for (ConfigValue v : (ConfigList) list) {
            values.add(v.render(ConfigRenderOptions.concise()));
        }
        return new Axis(key, values);
    }

    List<Axis> axes() {
        return axes;
    }

    /** Every combination, numbered from 0. */
    List<Trial> trials() {
        List<Map<String, String>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Axis axis : axes) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> p : points) {
                for (String v : axis.values()) {
                    Map<String, String> q = new LinkedHashMap<>(p);
                    q.put(axis.key(), v);
                    next.add(q);
                }
            }
            points = next;
        }
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            trials.add(new Trial(i, points.get(i)));
        }
        return trials;
    }
}
