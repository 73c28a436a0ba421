package dev.stride.runner.api.support;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import dev.stride.runner.api.BadInputException;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

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
            throw new BadInputException(where(options.getValue(key).origin()) + key + ": " + v
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
            throw new BadInputException(where(options.getValue(key).origin()) + key + ": " + v
                    + " is outside " + min + ".." + max);
        }
        return v;
    }

    /**
     * Where a value was written, as a prefix for a message: {@code "job.conf:12: "}, or the origin's
     * description; empty for {@code null}.
     */
    public static String where(@Nullable ConfigOrigin origin) {
        if (origin == null) {
            return "";
        }
        String d = origin.description();
        if (origin.filename() == null && d.startsWith("merge of ")) {
            // a section with the provider's defaults under it: name the user's part, e.g. "job.conf: 7"
            String first = firstOrigin(d.substring("merge of ".length()));
            return first.startsWith("--set ") ? first.replaceFirst(": \\d+$", "") + ": "
                    : first.replaceFirst(": (\\d+)$", ":$1") + ": ";
        }
        if (origin.filename() == null && d.startsWith("--set ")) {
            return d.replaceFirst(": \\d+$", "") + ": "; // the line of a one-line --set says nothing
        }
        String file = origin.filename() != null ? origin.filename() : origin.description();
        if (origin.filename() != null && origin.lineNumber() > 0) {
            return file + ":" + origin.lineNumber() + ": ";
        }
        return origin.description() + ": ";
    }

    private static final java.util.regex.Pattern FILE_LINE = java.util.regex.Pattern.compile(".*: \\d+");
    private static final java.util.Set<String> PLAIN = java.util.Set.of("env variables", "system properties", "hardcoded value");

    /**
     * The first of the origins Typesafe Config joins with commas in "merge of a,b,...". A {@code --set}
     * value may hold commas itself ({@code --set model.hidden=[8,4]}), and so may a file name: a
     * piece continues the one before until that one ends like an origin ("name: line"), and for a
     * {@code --set} (whose value may hold "key: 5,") until the next piece also starts like one (an
     * absolute file, a resource, another {@code --set} ...).
     */
    private static String firstOrigin(String joined) {
        String[] pieces = joined.split(",", -1);
        StringBuilder acc = new StringBuilder(pieces[0].trim());
        for (int i = 1; i < pieces.length; i++) {
            String a = acc.toString();
            String next = pieces[i].trim();
            boolean ended = FILE_LINE.matcher(a).matches() || PLAIN.contains(a);
            boolean complete = a.startsWith("--set ") ? ended && startsOrigin(next) : ended;
            if (complete) {
                break;
            }
            acc.append(',').append(pieces[i]);
        }
        return acc.toString().trim();
    }

    /** Whether a piece starts another origin: a --set, an absolute file, a resource ("x @ jar:..."), env variables ... */
    private static boolean startsOrigin(String piece) {
        return piece.startsWith("--set ") || piece.startsWith("/") || piece.matches("[A-Za-z]:[\\\\/].*")
                || piece.contains(" @ ") || piece.startsWith("merge of ") || PLAIN.contains(piece);
    }

    /** {@code where} of the value at {@code key} of {@code options}, or of the section when it has no such key. */
    public static String where(Config options, String key) {
        return where(options.hasPathOrNull(key) ? options.getValue(key).origin() : options.origin());
    }

    /** {@code " (did you mean 'x'?)"} when one of {@code candidates} is close to {@code word}, else the empty string. */
    public static String didYouMean(String word, java.util.Collection<String> candidates) {
        return dev.stride.runner.api.internal.Suggestions.didYouMean(word, candidates);
    }

    /**
     * The name a configured hook gives itself: its {@code id} option when the config sets one,
     * else {@code type}. A hook's name keys its state in checkpoints, so a hook that keeps state and
     * may be configured more than once in a job returns this from {@link dev.stride.runner.api.Hook#name()}:
     * {@code hooks = [{ type = my-hook, id = a }, { type = my-hook, id = b }]}.
     */
    public static String hookName(Config options, String type) {
        return options.hasPath("id") ? options.getString("id") : type;
    }
}
