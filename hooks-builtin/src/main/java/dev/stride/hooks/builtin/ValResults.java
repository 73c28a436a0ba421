package dev.stride.hooks.builtin;

import dev.stride.runner.api.LogBuffer;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Runner;
import java.util.Map;

/**
 * Where hooks read validation results: the averages of a val epoch of the workflow (at
 * {@code afterValEpoch}), and the results an evaluation hook ({@code eval}) puts into the val log
 * buffer's output, each evaluation seen once. One instance per hook: it remembers what it saw.
 */
public final class ValResults {
    private long seenVersion;

    /** The averages of the val epoch (or val phase) just done; call at {@code afterValEpoch}. */
    public static Map<String, Double> ofValEpoch(Runner runner) {
        return runner.logBuffer(Mode.VAL).average(0);
    }

    /**
     * The results of an evaluation reported since the last call, or an empty map. After a resume
     * the restored output of an earlier evaluation is not reported again.
     */
    public Map<String, Double> newEvaluation(Runner runner) {
        LogBuffer val = runner.logBuffer(Mode.VAL);
        if (val.outputVersion() == seenVersion || !val.hasOutput()) {
            return Map.of();
        }
        seenVersion = val.outputVersion();
        return val.output();
    }
}
