package dev.stride.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.stride.runner.api.internal.Suggestions;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * Checks a provider's config section against the defaults its module ships in
 * {@code reference.conf}: every option the user writes must exist there (else "unknown option,
 * did you mean"), and have a compatible type. Options whose default is {@code null} are optional
 * and take any type; the provider checks them.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Options {
    private Options() {}

    /**
     * @param section the user's section, e.g. {@code { type = checkpoint, interval = 2 }}
     * @param path where the section is in the config, for messages (e.g. {@code hooks[1]})
     * @param subject what the section configures, e.g. {@code hook 'checkpoint'}
     * @param defaults the provider's defaults
     * @param ignored keys handled by Stride itself ({@code type}, {@code priority})
     * @return the section, {@code ignored} keys removed, on top of the defaults
     */
    public static Config merge(Config section, String path, String subject, Config defaults, Set<String> ignored,
            Problems problems) {
        Config own = detached(section);
        for (String key : ignored) {
            own = own.withoutPath(quote(key));
        }
        check(own.root(), defaults.root(), path, subject, problems);
        return own.withFallback(defaults);
    }

    /**
     * {@code section} rebuilt from its entries, their origins kept. HOCON marks an object that
     * replaced a null or another value ({@code --set optimizer=null --set optimizer={...}}, the way to
     * replace a section instead of merging into it) as ignoring every fallback, and then the
     * provider's defaults would not fill the options the user leaves out.
     */
    private static Config detached(Config section) {
        Config out = ConfigFactory.empty(section.origin().description());
        for (Map.Entry<String, ConfigValue> e : section.root().entrySet()) {
            ConfigValue v = e.getValue();
            if (v instanceof ConfigObject o) {
                v = detached(o.toConfig()).root().withOrigin(o.origin());
            }
            out = out.withValue(quote(e.getKey()), v);
        }
        return out;
    }

    private static void check(ConfigObject user, ConfigObject defaults, String path, String subject, Problems problems) {
        for (String key : new TreeSet<>(user.keySet())) {
            ConfigValue value = user.get(key);
            String at = path.isEmpty() ? key : path + "." + key;
            if (!defaults.containsKey(key)) {
                problems.add(value.origin(), at, "unknown option '" + key + "' of " + subject
                        + Suggestions.didYouMean(key, defaults.keySet()) + "; its options are "
                        + String.join(", ", new TreeSet<>(defaults.keySet())));
                continue;
            }
            ConfigValue def = defaults.get(key);
            if (def.valueType() == ConfigValueType.NULL) {
                continue;
            }
            if (def.valueType() == ConfigValueType.OBJECT) {
                if (value.valueType() != ConfigValueType.OBJECT) {
                    problems.add(value.origin(), at, "expected an object { ... } for '" + key + "', got " + describe(value));
                } else {
                    check((ConfigObject) value, (ConfigObject) def, at, subject, problems);
                }
                continue;
            }
            if (!compatible(def, value)) {
                problems.add(value.origin(), at, "expected " + article(def.valueType()) + " for '" + key + "', got "
                        + describe(value));
            }
        }
    }

    private static boolean compatible(ConfigValue def, ConfigValue value) {
        ConfigValueType want = def.valueType();
        ConfigValueType got = value.valueType();
        if (want == got || got == ConfigValueType.NULL) {
            return got != ConfigValueType.NULL || want == ConfigValueType.STRING;
        }
        Object raw = value.unwrapped();
        return switch (want) {
            case NUMBER -> got == ConfigValueType.STRING && isNumber(raw.toString());
            case BOOLEAN -> got == ConfigValueType.STRING && Set.of("true", "false", "yes", "no", "on", "off")
                    .contains(raw.toString());
            case STRING -> got == ConfigValueType.NUMBER || got == ConfigValueType.BOOLEAN;
            default -> false;
        };
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String article(ConfigValueType t) {
        return switch (t) {
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case LIST -> "a list [ ... ]";
            case OBJECT -> "an object { ... }";
            default -> "a string";
        };
    }

    static String describe(ConfigValue v) {
        return switch (v.valueType()) {
            case NULL -> "null";
            case OBJECT -> "an object";
            case LIST -> "a list";
            default -> "'" + v.unwrapped() + "'";
        };
    }

    /** A key as a path element, quoted when needed. */
    public static String quote(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key.replace("\"", "\\\"") + "\"";
    }
}
