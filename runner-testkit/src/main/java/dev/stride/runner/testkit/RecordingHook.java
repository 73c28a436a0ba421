package dev.stride.runner.testkit;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.support.Stage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A hook that records every stage call with the runner's counters as {@link StageCall}s
 * ({@link #calls()}). It overrides every stage method, so no stage falls back to another
 * ({@code beforeTrainEpoch} is recorded as itself, not as {@code beforeEpoch}).
 *
 * <p>Several recorders can write into one shared log of lines as well, in the compact form
 * {@code afterTrainIter e0 i3 in1} prefixed by the recorder's label ({@code a afterTrainIter e0 i3 in1}),
 * which shows the order in which hooks of different priorities were called.
 *
 * <p>Actions make it act on the run: {@link #on} runs one after a matching call is recorded,
 * {@link #atCall} at the n-th call. It keeps state in checkpoints (a string, {@link #setState}),
 * under its name, so a test can see that a resumed run restores hook states.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public class RecordingHook implements Hook {
    private record Action(@Nullable String stage, Predicate<Runner> when, Consumer<Runner> what) {}

    private final @Nullable String label;
    private final @Nullable List<String> log;
    private final List<StageCall> calls = new ArrayList<>();
    private final List<Action> actions = new ArrayList<>();
    private String state = "";
    private @Nullable String loadedState;

    /** A recorder named {@code recording}. */
    public RecordingHook() {
        this(null, null);
    }

    /** A recorder named {@code label}. */
    public RecordingHook(String label) {
        this(label, null);
    }

    /** A recorder named {@code recording} that also appends {@code afterTrainIter e0 i3 in1} lines to {@code log}. */
    public RecordingHook(List<String> log) {
        this(null, log);
    }

    /**
     * A recorder named {@code label} (or {@code recording} when null) that also appends lines to
     * {@code log} (when not null), prefixed with the label: {@code a afterTrainIter e0 i3 in1}.
     */
    public RecordingHook(@Nullable String label, @Nullable List<String> log) {
        this.label = label;
        this.log = log;
    }

    /**
     * After a call of {@code stage} (a hook method name such as {@code afterTrainIter}) is recorded
     * and {@code when} holds, runs {@code what}. Returns this hook.
     */
    public RecordingHook on(String stage, Predicate<Runner> when, Consumer<Runner> what) {
        actions.add(new Action(stage, when, what));
        return this;
    }

    /** As {@link #on(String, Predicate, Consumer)}, naming the stage by its {@link Stage}. */
    public RecordingHook on(Stage stage, Predicate<Runner> when, Consumer<Runner> what) {
        return on(stage.methodName(), when, what);
    }

    /** Runs {@code what} at the {@code n}-th stage call (1-based, every stage counted), after recording it. */
    public RecordingHook atCall(int n, Consumer<Runner> what) {
        int[] seen = {0};
        actions.add(new Action(null, r -> ++seen[0] == n, what));
        return this;
    }

    /** Every call recorded so far, in order. */
    public List<StageCall> calls() {
        return Collections.unmodifiableList(calls);
    }

    /** The number of calls recorded so far. */
    public int callCount() {
        return calls.size();
    }

    /** Sets the string this hook saves in checkpoints (its {@code state} metadata). */
    public void setState(String state) {
        this.state = state;
    }

    /** What {@link #loadState} read, or null before a resumed run started. */
    public @Nullable String loadedState() {
        return loadedState;
    }

    @Override
    public String name() {
        return label == null ? "recording" : label;
    }

    @Override
    public void saveState(Checkpoint.Section s) {
        s.put("state", state);
    }

    @Override
    public void loadState(Checkpoint.Section s) {
        loadedState = s.get("state");
    }

    /** Records a call of {@code stage} (a hook method name), then runs the actions that match it. */
    protected void record(String stage, Runner r) {
        StageCall call = StageCall.of(stage, r);
        calls.add(call);
        if (log != null) {
            log.add((label == null ? "" : label + " ") + call.compact());
        }
        for (Action a : List.copyOf(actions)) {
            if ((a.stage() == null || a.stage().equals(stage)) && a.when().test(r)) {
                a.what().accept(r);
            }
        }
    }

    @Override
    public void beforeRun(Runner r) {
        record("beforeRun", r);
    }

    @Override
    public void afterRun(Runner r) {
        record("afterRun", r);
    }

    @Override
    public void beforeEpoch(Runner r) {
        record("beforeEpoch", r);
    }

    @Override
    public void afterEpoch(Runner r) {
        record("afterEpoch", r);
    }

    @Override
    public void beforeTrainEpoch(Runner r) {
        record("beforeTrainEpoch", r);
    }

    @Override
    public void afterTrainEpoch(Runner r) {
        record("afterTrainEpoch", r);
    }

    @Override
    public void beforeValEpoch(Runner r) {
        record("beforeValEpoch", r);
    }

    @Override
    public void afterValEpoch(Runner r) {
        record("afterValEpoch", r);
    }

    @Override
    public void beforeIter(Runner r) {
        record("beforeIter", r);
    }

    @Override
    public void afterIter(Runner r) {
        record("afterIter", r);
    }

    @Override
    public void beforeTrainIter(Runner r) {
        record("beforeTrainIter", r);
    }

    @Override
    public void afterTrainIter(Runner r) {
        record("afterTrainIter", r);
    }

    @Override
    public void beforeValIter(Runner r) {
        record("beforeValIter", r);
    }

    @Override
    public void afterValIter(Runner r) {
        record("afterValIter", r);
    }
}
