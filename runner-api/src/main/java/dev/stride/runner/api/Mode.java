package dev.stride.runner.api;

import java.util.Locale;
import org.apiguardian.api.API;

/** What a phase of the workflow does with its data: train the model, or validate it. */
@API(status = API.Status.STABLE, since = "0.1")
public enum Mode {
    TRAIN,
    VAL;

    /** The name used in configs and logs: {@code train} or {@code val}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code train} or {@code val}.
     *
     * @throws IllegalArgumentException naming the valid modes
     */
    public static Mode parse(String text) {
        for (Mode m : values()) {
            if (m.id().equals(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + text + "': use train or val");
    }

    @Override
    public String toString() {
        return id();
    }
}
