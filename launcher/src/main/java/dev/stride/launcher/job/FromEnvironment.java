package dev.stride.launcher.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps values that came from environment variables ({@code token = ${?API_TOKEN}}) out of what
 * Stride records: the copy of the config stored in checkpoints gets the reference as the user
 * wrote it, {@code "${?API_TOKEN}"}, instead of the value. Typesafe Config marks such a value
 * with the origin "env variables" (alone, or in a "merge of ..." for a concatenation such as
 * {@code "Bearer "${TOKEN}}).
 */
final class FromEnvironment {
    static final String ENV_ORIGIN = "env variables";
    /** Written when the reference text cannot be found (a substitution inside a merged object). */
    static final String HIDDEN = "(a value from an environment variable)";

    private FromEnvironment() {}

    /** {@code resolved} with every value from the environment replaced by its reference in {@code unresolved}. */
    static Config hide(Config resolved, Config unresolved) {
        return ((ConfigObject) hide(resolved.root(), unresolved.root())).toConfig();
    }

    static boolean fromEnvironment(ConfigOrigin origin) {
        String d = origin.description();
        return d.equals(ENV_ORIGIN) || d.startsWith("merge of ") && d.contains(ENV_ORIGIN);
    }

    /** The unresolved value under {@code key}, or null when the unresolved tree has no plain object there. */
    private static ConfigValue child(ConfigValue raw, String key) {
        if (!(raw instanceof ConfigObject o)) {
            return null;
        }
        try {
            return o.get(key);
        } catch (com.typesafe.config.ConfigException notResolvedYet) {
            return null; // an object still to be merged with a substitution
        }
    }

    private static ConfigValue hide(ConfigValue v, ConfigValue raw) {
        switch (v.valueType()) {
            case OBJECT -> {
                ConfigObject o = (ConfigObject) v;
                ConfigObject out = o;
                for (String key : o.keySet()) {
                    ConfigValue child = o.get(key);
                    ConfigValue rawChild = child(raw, key);
                    ConfigValue hidden = hide(child, rawChild);
                    if (hidden != child) {
                        out = out.withValue(key, hidden);
                    }
                }
                return out;
            }
            case LIST -> {
                ConfigList l = (ConfigList) v;
                List<ConfigValue> items = new ArrayList<>();
                boolean changed = false;
                for (int i = 0; i < l.size(); i++) {
                    ConfigValue rawItem = raw instanceof ConfigList rl && i < rl.size() ? rl.get(i) : null;
                    ConfigValue hidden = hide(l.get(i), rawItem);
                    changed |= hidden != l.get(i);
                    items.add(hidden);
                }
                return changed ? ConfigValueFactory.fromIterable(items).withOrigin(l.origin()) : v;
            }
            default -> {
                if (!fromEnvironment(v.origin())) {
                    return v;
                }
                String reference = raw == null ? HIDDEN : raw.render();
                return ConfigValueFactory.fromAnyRef(reference, "a reference to an environment variable");
            }
        }
    }
}
