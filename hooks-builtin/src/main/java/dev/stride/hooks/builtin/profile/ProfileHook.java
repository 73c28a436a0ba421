package dev.stride.hooks.builtin.profile;

import com.typesafe.config.Config;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.support.BaseRunner;
import dev.stride.runner.api.support.Stage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code profile}: the time spent in the hooks at each stage, and in the model's steps and the data
 * loading between them, printed as a table sorted by total time at the end of the run.
 *
 * <p>How it measures without wrapping the other hooks (a hook cannot replace them): it runs first
 * at every stage (priority HIGHEST) and, before the run, registers one probe after each distinct
 * priority among the other hooks. A hook chain calls hooks in priority order, so the time between
 * two consecutive markers is the time of the hooks of one priority; hooks of distinct priorities
 * are thus timed one by one, hooks sharing a priority together (the table names them all). The
 * gap from the last marker of {@code beforeTrainIter} to the first of {@code afterTrainIter} is the
 * model's step; from {@code afterTrainIter} to the next {@code beforeTrainIter} the data loading.
 * With a runner that does not tell priorities (not a {@link BaseRunner}) a single probe at
 * LOWEST times all hooks of a stage together. Not measured: {@code beforeRun} (the probes are
 * registered then), and hooks of priority 0 registered before this one (list it first).
 */
public final class ProfileHook extends Marker {
    private static final Logger LOG = LoggerFactory.getLogger("stride");

    private final Timings timings;
    private boolean probing;
    private boolean print;
    private String report;

    public ProfileHook(Config options) {
        this(System::nanoTime);
    }

    ProfileHook(LongSupplier clock) {
        this.timings = new Timings(clock);
    }

    @Override
    public String name() {
        return "profile";
    }

    @Override
    void mark(Runner runner, Stage stage) {
        if (stage == Stage.BEFORE_RUN) {
            print = runner.isMainProcess();
            if (!probing) {
                probing = true;
                registerProbes(runner);
            }
        }
        timings.start(stage);
        if (stage == Stage.AFTER_RUN && timings.groupCount() == 0) {
            finish();
        }
    }

    /** The report of the last run, or null before the end of a run. */
    public String report() {
        return report;
    }

    private void finish() {
        report = timings.report();
        if (print) {
            LOG.info(report.stripTrailing());
        }
    }

    private void registerProbes(Runner runner) {
        Map<Integer, List<String>> byPriority = new TreeMap<>();
        List<String> unmeasured = new ArrayList<>();
        boolean seenSelf = false;
        if (runner instanceof BaseRunner base) {
            for (Hook h : runner.hooks()) {
                if (h == this) {
                    seenSelf = true;
                } else if (!seenSelf) {
                    unmeasured.add(h.name());
                } else if (!(h instanceof Marker)) {
                    byPriority.computeIfAbsent(base.priorityOf(h), p -> new ArrayList<>()).add(h.name());
                }
            }
        } else {
            List<String> all = runner.hooks().stream().filter(h -> !(h instanceof Marker)).map(Hook::name).toList();
            if (!all.isEmpty()) {
                byPriority.put(Priority.LOWEST.value(), List.of("all hooks: " + String.join(", ", all)));
            }
        }
        if (!unmeasured.isEmpty()) {
            LOG.warn("profile: {} run before it and are not measured; give the profile hook priority HIGHEST and list it first", unmeasured);
        }
        Map<Integer, String> labels = new LinkedHashMap<>();
        byPriority.forEach((p, names) -> labels.put(p, String.join(" + ", names) + " (" + p + ")"));
        timings.groups(new ArrayList<>(labels.values()));
        int group = 0;
        for (int p : labels.keySet()) {
            boolean last = group == labels.size() - 1;
            runner.registerHook(new Probe(timings, group, p, last ? this::finish : null), p);
            group++;
        }
    }
}
