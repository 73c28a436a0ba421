package dev.stride.hooks.builtin.training;

import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Runner;

/**
 * Logs {@code data_time} (waiting for the batch) and {@code time} (the whole iteration) in
 * seconds, as MMCV's IterTimerHook.
 */
public final class IterTimerHook implements Hook {
    private long t;

    @Override
    public String name() {
        return "iter-timer";
    }

    @Override
    public void beforeEpoch(Runner runner) {
        t = System.nanoTime();
    }

    @Override
    public void beforeIter(Runner runner) {
        if (t == 0) {
            t = System.nanoTime();
        }
        runner.logBuffer().update("data_time", (System.nanoTime() - t) / 1e9, 1);
    }

    @Override
    public void afterIter(Runner runner) {
        long now = System.nanoTime();
        runner.logBuffer().update("time", (now - t) / 1e9, 1);
        t = now;
    }
}
