package dev.stride.hooks.builtin.profile;

import dev.stride.hooks.builtin.Durations;
import dev.stride.runner.api.support.Stage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The time between consecutive markers of a run, per stage and per group of hooks, and the gaps
 * between stages: the model's step (between before- and after-iter) and the data loading and
 * runner bookkeeping (between after-iter and the next before-iter).
 */
final class Timings {
    /** Rows under this total are summarized in one line. */
    static final long SHOWN_NANOS = 1_000_000L;

    private static final Stage[] GAP_STAGES = {Stage.BEFORE_TRAIN_ITER, Stage.AFTER_TRAIN_ITER, Stage.BEFORE_VAL_ITER,
        Stage.AFTER_VAL_ITER};
    private static final String[] GAP_LABELS = {"(train data loading)", "(train step of the model)", "(val data loading)",
        "(val step of the model)"};

    private final LongSupplier clock;
    private List<String> groups = List.of();
    private long[][] nanos = new long[Stage.values().length][0];
    private long[][] calls = new long[Stage.values().length][0];
    private final long[] gapNanos = new long[GAP_STAGES.length];
    private final long[] gapCalls = new long[GAP_STAGES.length];
    private long mark;
    private long lastEnd = -1;
    private long runStart;
    private long runEnd;

    Timings(LongSupplier clock) {
        this.clock = clock;
    }

    /** The labels of the hook groups, one per probe, in calling order. */
    void groups(List<String> labels) {
        groups = List.copyOf(labels);
        nanos = new long[Stage.values().length][labels.size()];
        calls = new long[Stage.values().length][labels.size()];
    }

    int groupCount() {
        return groups.size();
    }

    /** The profile hook, first of every stage. */
    void start(Stage stage) {
        long now = clock.getAsLong();
        if (stage == Stage.BEFORE_RUN) {
            runStart = now;
        }
        for (int i = 0; i < GAP_STAGES.length; i++) {
            if (GAP_STAGES[i] == stage && lastEnd >= 0) {
                gapNanos[i] += now - lastEnd;
                gapCalls[i]++;
            }
        }
        mark = now;
        lastEnd = groups.isEmpty() ? now : -1;
        if (stage == Stage.AFTER_RUN && groups.isEmpty()) {
            runEnd = now;
        }
    }

    /** Probe {@code group}, after the hooks of its group. */
    void probe(Stage stage, int group) {
        long now = clock.getAsLong();
        nanos[stage.ordinal()][group] += now - mark;
        calls[stage.ordinal()][group]++;
        mark = now;
        if (group == groups.size() - 1) {
            lastEnd = now;
            if (stage == Stage.AFTER_RUN) {
                runEnd = now;
            }
        }
    }

    private record Row(String what, String stage, long calls, long nanos) {}

    /** The table, rows sorted by total time, largest first. */
    String report() {
        List<Row> rows = new ArrayList<>();
        for (Stage s : Stage.values()) {
            for (int g = 0; g < groups.size(); g++) {
                if (calls[s.ordinal()][g] > 0) {
                    rows.add(new Row(groups.get(g), s.methodName(), calls[s.ordinal()][g], nanos[s.ordinal()][g]));
                }
            }
        }
        for (int i = 0; i < GAP_STAGES.length; i++) {
            if (gapCalls[i] > 0) {
                rows.add(new Row(GAP_LABELS[i], "-", gapCalls[i], gapNanos[i]));
            }
        }
        rows.sort(Comparator.comparingLong(Row::nanos).reversed());
        long total = Math.max(1, runEnd - runStart);
        int width = Math.max(24, rows.stream().mapToInt(r -> r.what().length()).max().orElse(0));
        StringBuilder sb = new StringBuilder();
        sb.append("Profile of the run, ").append(Durations.hms(total / 1_000_000_000L))
                .append(" in all; time per hook group and stage, largest first:\n");
        sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %-17s %9s %10s %10s %7s%n", "hooks", "stage", "calls",
                "total s", "mean ms", "share"));
        int hidden = 0;
        for (Row r : rows) {
            if (r.nanos() < SHOWN_NANOS) {
                hidden++;
                continue;
            }
            sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %-17s %9d %10.3f %10.3f %6.1f%%%n", r.what(), r.stage(),
                    r.calls(), r.nanos() / 1e9, r.nanos() / 1e6 / r.calls(), 100.0 * r.nanos() / total));
        }
        if (hidden > 0) {
            sb.append("  (").append(hidden).append(hidden == 1 ? " row" : " rows").append(" under 1 ms not shown)\n");
        }
        return sb.toString();
    }
}
