package dev.stride.hooks.builtin.monitor;

import com.typesafe.config.Config;
import dev.stride.hooks.builtin.Intervals;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.LogBuffer;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.support.Settings;

/**
 * {@code memory}: every {@code interval} train iterations, puts into the train log buffer the JVM
 * heap in use ({@code memory_heap_mb}), the process's resident memory ({@code memory_rss_mb}, Linux
 * only) and the engine's native tensors alive ({@code live_tensors}, when the model can tell), so
 * the loggers print them beside the loss. A growing {@code live_tensors} is a leak of native memory
 * the heap does not show.
 */
public final class MemoryHook implements Hook {
    private static final double MB = 1024.0 * 1024.0;

    private final int interval;

    public MemoryHook(Config options) {
        this.interval = Settings.intIn(options, "interval", 1, Integer.MAX_VALUE);
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public void afterTrainIter(Runner runner) {
        boolean due = runner.byEpoch() ? Intervals.everyNInnerIters(runner, interval) : Intervals.everyNIters(runner, interval);
        if (due) {
            sample(runner, runner.logBuffer(Mode.TRAIN));
        }
    }

    private static void sample(Runner runner, LogBuffer buffer) {
        Runtime rt = Runtime.getRuntime();
        buffer.update("memory_heap_mb", (rt.totalMemory() - rt.freeMemory()) / MB, 1);
        ProcessMemory.rssBytes().ifPresent(rss -> buffer.update("memory_rss_mb", rss / MB, 1));
        long tensors = runner.model().liveTensors();
        if (tensors >= 0) {
            buffer.update("live_tensors", tensors, 1);
        }
    }
}
