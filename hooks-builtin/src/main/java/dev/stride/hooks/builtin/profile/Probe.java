package dev.stride.hooks.builtin.profile;

import dev.stride.runner.api.Runner;
import dev.stride.runner.api.support.Stage;

/**
 * Registered by the profile hook at one priority, after the hooks of that priority: the time since
 * the previous marker is theirs. The last probe of the run prints the report.
 */
final class Probe extends Marker {
    private final Timings timings;
    private final int group;
    private final int priority;
    private final Runnable atRunEnd;

    /** @param atRunEnd what the last probe does after the run's last hook, or null */
    Probe(Timings timings, int group, int priority, Runnable atRunEnd) {
        this.timings = timings;
        this.group = group;
        this.priority = priority;
        this.atRunEnd = atRunEnd;
    }

    @Override
    public String name() {
        return "profile-probe-" + priority;
    }

    @Override
    void mark(Runner runner, Stage stage) {
        timings.probe(stage, group);
        if (stage == Stage.AFTER_RUN && atRunEnd != null) {
            atRunEnd.run();
        }
    }
}
