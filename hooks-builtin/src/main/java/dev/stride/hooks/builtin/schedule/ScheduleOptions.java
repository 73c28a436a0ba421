package dev.stride.hooks.builtin.schedule;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.support.Settings;
import dev.stride.runner.api.support.Settings;
import java.util.List;

/**
 * The options of one schedule hook, read with checks: every message names the option, the file
 * and line it was written at, what is wrong and how to fix it. An option whose value is
 * {@code null} counts as not set.
 */
final class ScheduleOptions {
    private final Config options;
    private final Target target;
    private final String policy;

    ScheduleOptions(Config options, Target target, String policy) {
        this.options = options;
        this.target = target;
        this.policy = policy;
    }

    Target target() {
        return target;
    }

    /** The chosen policy's name. */
    String policy() {
        return policy;
    }

    /** Whether the option is set to something other than null. */
    boolean has(String key) {
        return options.hasPath(key);
    }

    /** {@code "file.conf:12: "} for the option, or the empty string when it is not written anywhere. */
    String where(String key) {
        ConfigValue v = options.root().get(key);
        return v == null ? "" : Settings.where(v.origin());
    }

    /** An error about {@code key}: {@code file:line: key: message}. */
    BadInputException bad(String key, String message) {
        return new BadInputException(where(key) + key + ": " + message);
    }

    /** Throws {@link #bad} unless {@code ok}. */
    void require(boolean ok, String key, String message) {
        if (!ok) {
            throw bad(key, message);
        }
    }

    /** A number, or {@code fallback} when the option is not set. */
    double number(String key, double fallback) {
        return has(key) ? number(key) : fallback;
    }

    /** A number, or {@code null} when the option is not set. */
    Double optionalNumber(String key) {
        return has(key) ? number(key) : null;
    }

    /** A number the policy cannot do without. */
    double requiredNumber(String key, String example) {
        if (!has(key)) {
            throw new BadInputException(where("policy") + "the " + target.hookName() + " policy '" + policy + "' needs '"
                    + key + "': set it, e.g. " + key + " = " + example);
        }
        return number(key);
    }

    private double number(String key) {
        double v;
        try {
            v = options.getDouble(key);
        } catch (ConfigException.WrongType e) {
            throw bad(key, "expected a number, got " + describe(key));
        }
        require(Double.isFinite(v), key, "expected a finite number, got " + v);
        return v;
    }

    /** A whole number of at least 1, or {@code fallback} when not set. */
    int positiveInt(String key, int fallback) {
        return has(key) ? positiveInt(key) : fallback;
    }

    /** A whole number of at least 1. */
    int positiveInt(String key) {
        double v = number(key);
        require(v == Math.rint(v) && v >= 1 && v <= Integer.MAX_VALUE, key,
                "expected a whole number of at least 1, got " + describe(key));
        return (int) v;
    }

    /** true or false, or {@code fallback} when not set. */
    boolean flag(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        try {
            return options.getBoolean(key);
        } catch (ConfigException.WrongType e) {
            throw bad(key, "expected true or false, got " + describe(key));
        }
    }

    /** Whether the option holds a list. */
    boolean isList(String key) {
        return has(key) && options.getValue(key).valueType() == ConfigValueType.LIST;
    }

    /** A list of numbers; a single number gives a list of one. */
    double[] numbers(String key) {
        if (!isList(key)) {
            return new double[] {number(key)};
        }
        List<Double> list;
        try {
            list = options.getDoubleList(key);
        } catch (ConfigException.WrongType e) {
            throw bad(key, "expected a number or a list of numbers, got " + describe(key));
        }
        double[] out = list.stream().mapToDouble(Double::doubleValue).toArray();
        for (double d : out) {
            require(Double.isFinite(d), key, "expected finite numbers, got " + d);
        }
        return out;
    }

    /** A list of whole numbers of at least 1; a single number gives a list of one. */
    int[] positiveInts(String key) {
        double[] values = numbers(key);
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            require(v == Math.rint(v) && v >= 1 && v <= Integer.MAX_VALUE, key,
                    "expected whole numbers of at least 1, got " + describe(key));
            out[i] = (int) v;
        }
        return out;
    }

    /** One of {@code choices}, or {@code fallback} when not set. */
    String word(String key, String fallback, List<String> choices) {
        if (!has(key)) {
            return fallback;
        }
        ConfigValue v = options.getValue(key);
        String w = String.valueOf(v.unwrapped());
        require(v.valueType() == ConfigValueType.STRING && choices.contains(w), key, "unknown value '" + w + "'"
                + Settings.didYouMean(w, choices) + "; use one of " + String.join(", ", choices));
        return w;
    }

    /** {@code anneal-strategy}: cos (the default) or linear. */
    Anneal anneal() {
        String w = word("anneal-strategy", Anneal.COS.word(), List.of(Anneal.COS.word(), Anneal.LINEAR.word()));
        return w.equals(Anneal.LINEAR.word()) ? Anneal.LINEAR : Anneal.COS;
    }

    private String describe(String key) {
        ConfigValue v = options.root().get(key);
        if (v == null || v.valueType() == ConfigValueType.NULL) {
            return "null";
        }
        return switch (v.valueType()) {
            case LIST, OBJECT -> v.render(com.typesafe.config.ConfigRenderOptions.concise());
            default -> "'" + v.unwrapped() + "'";
        };
    }
}
