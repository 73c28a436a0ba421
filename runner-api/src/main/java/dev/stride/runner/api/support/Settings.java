package dev.stride.runner.api.support;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.stride.runner.api.BadInputException;
import org.apiguardian.api.API;

/** Reads checked values from a provider's options, with messages naming the key and its file:line. */
@API(status = API.Status.STABLE, since = "0.1")
public final class Settings {
    private Settings() {}

    /** An int in {@code min..max}. */
    public static int intIn(Config options, String key, int min, int max) {
        long v = longIn(options, key, min, max);
        return (int) v;
    }

    /** A long in {@code min..max}. */
    public static long longIn(Config options, String key, long min, long max) {
        long v;
        try {
            v = options.getLong(key);
        } catch (ConfigException.Missing e) {
            throw new BadInputException("the option '" + key + "' is missing: set it, e.g. " + key + " = " + Math.max(min, 1));
        } catch (ConfigException e) {
            throw new BadInputException(e.getMessage());
        }
        if (v < min || v > max) {
            throw new BadInputException(Problems.where(options.getValue(key).origin()) + key + ": " + v
                    + " is outside " + min + ".." + max);
        }
        return v;
    }

    /** A finite double in {@code min..max}. */
    public static double doubleIn(Config options, String key, double min, double max) {
        double v;
        try {
            v = options.getDouble(key);
        } catch (ConfigException.Missing e) {
            throw new BadInputException("the option '" + key + "' is missing");
        } catch (ConfigException e) {
            throw new BadInputException(e.getMessage());
        }
        if (!(v >= min && v <= max)) {
            throw new BadInputException(Problems.where(options.getValue(key).origin()) + key + ": " + v
                    + " is outside " + min + ".." + max);
        }
        return v;
    }
}
