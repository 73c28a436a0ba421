package dev.stride.launcher;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.support.Settings;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Every problem found in a config, collected so that all of them are reported at once, each as
 * {@code file:line: key: what is wrong}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Problems {
    private final List<String> lines = new ArrayList<>();

    /** Records a problem of {@code path} whose value came from {@code origin} (may be null). */
    public void add(ConfigOrigin origin, String path, String message) {
        lines.add(where(origin) + (path == null || path.isEmpty() ? "" : path + ": ") + message);
    }

    /** Records a problem Typesafe Config found; its message already names file, line and key. */
    public void add(ConfigException e) {
        lines.add(e.getMessage());
    }

    /** Records problems already phrased with their locations. */
    public void addAll(java.util.Collection<String> messages) {
        messages.forEach(this::add);
    }

    /** Records a problem without a location. */
    public void add(String message) {
        lines.add(message);
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Throws one {@link BadInputException} listing every problem, if there is any. */
    public void throwIfAny(String subject) {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(subject).append(lines.size() == 1 ? " has a problem:" : " has " + lines.size() + " problems:");
        for (String l : lines) {
            sb.append("\n  - ").append(l);
        }
        throw new BadInputException(sb.toString());
    }

    /** {@code "file.conf:12: "} or the origin's description: {@link Settings#where(ConfigOrigin)}. */
    public static String where(ConfigOrigin origin) {
        return Settings.where(origin);
    }
}
