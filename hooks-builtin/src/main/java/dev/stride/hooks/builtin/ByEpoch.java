package dev.stride.hooks.builtin;

import com.typesafe.config.Config;
import dev.stride.runner.api.Runner;

/** A hook's {@code by-epoch} option: true, false, or null to follow the runner (epoch runner: epochs). */
public final class ByEpoch {
    private final Boolean value;

    private ByEpoch(Boolean value) {
        this.value = value;
    }

    /** Reads {@code by-epoch} from a hook's options. */
    public static ByEpoch of(Config options) {
        return new ByEpoch(options.getIsNull("by-epoch") ? null : options.getBoolean("by-epoch"));
    }

    /** Whether the hook counts epochs in this run. */
    public boolean in(Runner runner) {
        return value == null ? runner.byEpoch() : value;
    }
}
