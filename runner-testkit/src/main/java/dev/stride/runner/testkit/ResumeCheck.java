package dev.stride.runner.testkit;

import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.spi.RunnerProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Proves that a runner resumes exactly: a straight run is compared with runs stopped at a chosen
 * hook call and continued by a fresh runner resumed from the checkpoint. Stopped means either
 * interrupted there ({@link Runner#interrupt}: the runner saves a checkpoint after the stage and
 * returns) or checkpointed there by a hook that lets the run go on ({@link Runner#saveCheckpoint},
 * as a checkpoint hook does). The resumed runner's model starts from other weights, so only the
 * checkpoint can make it match.
 *
 * <pre>{@code
 * ResumeCheck check = ResumeCheck.of("epoch", Map.of("max-epochs", 3))
 *         .workflow("[[train, 2], [val, 1]]").in(dir);
 * check.assertExact(); // every hook call of the run, interrupted and checkpointed
 * }</pre>
 *
 * <p>Each run ({@link Run}) trains a {@link FakeModel} with a {@link FakeOptimizer} on a train and a
 * val {@link FakeLoader} ({@link Setup}), with a {@link StepHook} (HIGH) that accumulates gradients
 * over {@link Setup#accumulate()} iterations, a {@link LossTrace} (NORMAL) and a {@link RecordingHook}
 * named {@code resume-check} (LOW) that counts the hook calls and acts at the chosen one, after the
 * optimizer step of that stage, as a checkpoint hook would. Hooks of the test's own
 * ({@link #hook}) join every run. Runs are compared in: final parameters, optimizer state and
 * gradients (bit for bit), optimizer steps taken, the batches the model saw and the logged losses
 * (bit for bit).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class ResumeCheck {
    /**
     * The data and training set-up shared by the runs compared.
     *
     * @param seed the run's seed and the loaders' seed
     * @param trainSamples samples of the train loader (ids 0..)
     * @param trainBatch its batch size
     * @param valSamples samples of the val loader (ids 1000..)
     * @param valBatch its batch size
     * @param accumulate train iterations per optimizer step
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Setup(long seed, int trainSamples, int trainBatch, int valSamples, int valBatch, int accumulate) {
        /** Seed 7; train 10 samples in batches of 3 (the last of 1); val 5 in batches of 2; steps every 2 iterations. */
        public static Setup small() {
            return new Setup(7, 10, 3, 5, 2, 2);
        }
    }

    /**
     * The outcome of one stop and resume.
     *
     * @param call the 1-based index of the hook call of the straight run at which the run was stopped
     * @param stage that call
     * @param stoppedOutcome how the stopped run ended ({@code INTERRUPTED} unless the stop came too late to take effect)
     * @param checkpoint the checkpoint resumed from, or null when the run was not interrupted
     * @param difference the first difference from the straight run, or null when the resumed run matches it
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Result(int call, StageCall stage, RunOutcome stoppedOutcome, @Nullable Path checkpoint,
            @Nullable String difference) {
        /** Whether the stopped and resumed run matched the straight one (a run that was not stopped counts as exact). */
        public boolean exact() {
            return difference == null;
        }

        @Override
        public String toString() {
            return "stop at call " + call + " (" + stage.compact() + "): " + (difference == null ? "exact" : difference);
        }
    }

    private record ExtraHook(Supplier<? extends Hook> factory, int priority) {}

    private final @Nullable String runnerName;
    private final @Nullable RunnerProvider provider;
    private final Map<String, ?> options;
    private final List<ExtraHook> extraHooks = new ArrayList<>();
    private Workflow workflow = Harness.parseWorkflow("[[train, 1]]");
    private Setup setup = Setup.small();
    private @Nullable Path dir;
    private @Nullable Run straight;

    private ResumeCheck(@Nullable String runnerName, @Nullable RunnerProvider provider, Map<String, ?> options) {
        this.runnerName = runnerName;
        this.provider = provider;
        this.options = Map.copyOf(options);
    }

    /** Checks the runner named {@code runner} (found on the class path) with these options, e.g. {@code max-epochs}. */
    public static ResumeCheck of(String runner, Map<String, ?> options) {
        return new ResumeCheck(Objects.requireNonNull(runner, "runner"), null, options);
    }

    /** Checks the runners of {@code provider}. */
    public static ResumeCheck of(RunnerProvider provider, Map<String, ?> options) {
        return new ResumeCheck(null, Objects.requireNonNull(provider, "provider"), options);
    }

    private void notStarted() {
        if (straight != null) {
            throw new IllegalStateException("the straight run has been made: set up the check before using it");
        }
    }

    /** The workflow, e.g. {@code [[train, 2], [val, 1]]}; default {@code [[train, 1]]}. */
    public ResumeCheck workflow(String hocon) {
        return workflow(Harness.parseWorkflow(hocon));
    }

    /** The workflow; default {@code [[train, 1]]}. */
    public ResumeCheck workflow(Workflow workflow) {
        notStarted();
        this.workflow = Objects.requireNonNull(workflow, "workflow");
        return this;
    }

    /** The data and accumulation; default {@link Setup#small()}. */
    public ResumeCheck setup(Setup setup) {
        notStarted();
        this.setup = Objects.requireNonNull(setup, "setup");
        return this;
    }

    /** Where the runs write; each gets a folder of its own in it. Default: a new temporary directory. */
    public ResumeCheck in(Path dir) {
        notStarted();
        this.dir = Objects.requireNonNull(dir, "dir");
        return this;
    }

    /**
     * Adds a hook of the test's own to every run, a new one from {@code factory} for each (a hook
     * whose state must resume exactly too). A stateful hook needs a name of its own.
     */
    public ResumeCheck hook(Supplier<? extends Hook> factory, int priority) {
        notStarted();
        extraHooks.add(new ExtraHook(Objects.requireNonNull(factory, "factory"), Priority.check(priority)));
        return this;
    }

    /** As {@link #hook(Supplier, int)}. */
    public ResumeCheck hook(Supplier<? extends Hook> factory, Priority priority) {
        return hook(factory, priority.value());
    }

    private Path dir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("stride-resume-check");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    private Path sub(String name) {
        try {
            return Files.createDirectories(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Run newRun(Path workDir, float initW) {
        return new Run(workDir, initW);
    }

    /**
     * The straight run, made on the first call.
     *
     * @throws IllegalStateException when it does not complete
     */
    public Run straight() {
        if (straight == null) {
            Run s = newRun(sub("straight"), 0.5f);
            RunOutcome o = s.run();
            if (o != RunOutcome.COMPLETED) {
                throw new IllegalStateException("the straight run ended " + o);
            }
            straight = s;
        }
        return straight;
    }

    /** The hook calls of the straight run; call k (1-based) is {@code calls().get(k - 1)}. */
    public List<StageCall> calls() {
        return straight().calls();
    }

    /**
     * The 1-based index of the first call of the straight run written as {@code text}, in the
     * {@link StageCall#toString()} form {@code afterTrainIter train e0 i3 in1} or the
     * {@link StageCall#compact()} form {@code afterTrainIter e0 i3 in1}.
     *
     * @throws IllegalArgumentException when the straight run has no such call, listing its calls
     */
    public int callIndex(String text) {
        List<StageCall> calls = calls();
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).toString().equals(text) || calls.get(i).compact().equals(text)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("the straight run has no call '" + text + "'; its calls: " + calls);
    }

    /**
     * Interrupts a run at the {@code k}-th hook call, then resumes a fresh runner from the checkpoint
     * the interrupt wrote and runs it to the end.
     */
    public Result interruptAt(int k) {
        StageCall stage = call(k);
        Path wd = sub("interrupt-" + k);
        Run stopped = newRun(wd, 0.5f);
        stopped.recorder.atCall(k, r -> r.interrupt("test stop at call " + k));
        stopped.run();
        if (stopped.outcome != RunOutcome.INTERRUPTED) {
            return new Result(k, stage, Objects.requireNonNull(stopped.outcome), null, null);
        }
        Path ck = CheckpointFiles.latest(wd).orElseThrow(() -> new AssertionError("the interrupted run wrote no "
                + CheckpointFiles.LATEST + " in " + wd));
        return new Result(k, stage, RunOutcome.INTERRUPTED, ck,
                resumeAndCompare(wd, ck, stopped.model.seen(), stopped.trace.lines()));
    }

    /**
     * Lets a run save a checkpoint at the {@code k}-th hook call without stopping (as a checkpoint
     * hook would), then resumes a fresh runner from it and compares it with the rest of the run.
     */
    public Result saveAt(int k) {
        StageCall stage = call(k);
        Path wd = sub("save-" + k);
        Run saving = newRun(wd, 0.5f);
        int[] seenAt = {-1};
        int[] traceAt = {-1};
        Path[] file = {null};
        saving.recorder.atCall(k, r -> {
            file[0] = r.saveCheckpoint(wd, "saved.safetensors");
            seenAt[0] = saving.model.seen().size();
            traceAt[0] = saving.trace.lines().size();
        });
        saving.run();
        if (file[0] == null) {
            throw new IllegalStateException("call " + k + " never happened");
        }
        return new Result(k, stage, Objects.requireNonNull(saving.outcome), file[0], resumeAndCompare(wd, file[0],
                saving.model.seen().subList(0, seenAt[0]), saving.trace.lines().subList(0, traceAt[0])));
    }

    private StageCall call(int k) {
        List<StageCall> calls = calls();
        if (k < 1 || k > calls.size()) {
            throw new IllegalArgumentException("call " + k + " is outside 1.." + calls.size() + ", the calls of the straight run");
        }
        return calls.get(k - 1);
    }

    private String resumeAndCompare(Path first, Path ck, List<String> seenBefore, List<String> traceBefore) {
        Run resumed = newRun(sub(first.getFileName() + "-resumed"), 9f);
        resumed.harness.resume(ck);
        resumed.run();
        return difference(straight(), seenBefore, traceBefore, resumed);
    }

    /** Runs {@link #interruptAt} at every hook call but the last (afterRun); returns the inexact ones. */
    public List<Result> interruptEverywhere(Consumer<Result> each) {
        List<Result> bad = new ArrayList<>();
        for (int k = 1; k < calls().size(); k++) {
            Result r = interruptAt(k);
            each.accept(r);
            if (!r.exact()) {
                bad.add(r);
            }
        }
        return bad;
    }

    /** Runs {@link #saveAt} at every hook call but the last (afterRun); returns the inexact ones. */
    public List<Result> saveEverywhere(Consumer<Result> each) {
        List<Result> bad = new ArrayList<>();
        for (int k = 1; k < calls().size(); k++) {
            Result r = saveAt(k);
            each.accept(r);
            if (!r.exact()) {
                bad.add(r);
            }
        }
        return bad;
    }

    /**
     * Interrupts and checkpoints the run at every hook call but the last, resuming each time.
     *
     * @throws AssertionError listing every stop point whose resumed run differs from the straight run
     */
    public void assertExact() {
        List<Result> bad = new ArrayList<>(interruptEverywhere(r -> {}));
        bad.addAll(saveEverywhere(r -> {}));
        if (!bad.isEmpty()) {
            int checked = 2 * (calls().size() - 1);
            throw new AssertionError(bad.size() + " of " + checked + " stop points do not resume exactly:\n"
                    + String.join("\n", bad.stream().map(Object::toString).toList()));
        }
    }

    /**
     * Null when {@code straight} equals a stopped run (what it did before its checkpoint) followed
     * by {@code resumed} in every respect: final parameters, optimizer state and gradients (bits),
     * optimizer steps taken, the batches seen and the logged losses; else the first difference.
     */
    static @Nullable String difference(Run straight, List<String> seenBefore, List<String> traceBefore, Run resumed) {
        if (resumed.outcome != RunOutcome.COMPLETED) {
            return "the resumed run ended " + resumed.outcome;
        }
        if (!straight.model.paramsText().equals(resumed.model.paramsText())) {
            return "parameters differ: straight " + straight.model.paramsText() + ", resumed " + resumed.model.paramsText();
        }
        if (!straight.optimizer.stateText().equals(resumed.optimizer.stateText())) {
            return "optimizer state differs: straight " + straight.optimizer.stateText() + ", resumed "
                    + resumed.optimizer.stateText();
        }
        if (!straight.model.gradsText().equals(resumed.model.gradsText())) {
            return "gradients differ: straight " + straight.model.gradsText() + ", resumed " + resumed.model.gradsText();
        }
        if (straight.stepper.stepsTaken() != resumed.stepper.stepsTaken()) {
            return "steps taken differ: " + straight.stepper.stepsTaken() + " vs " + resumed.stepper.stepsTaken();
        }
        String seen = concatDiff("batches seen", straight.model.seen(), seenBefore, resumed.model.seen());
        if (seen != null) {
            return seen;
        }
        return concatDiff("logged losses", straight.trace.lines(), traceBefore, resumed.trace.lines());
    }

    private static @Nullable String concatDiff(String what, List<String> all, List<String> first, List<String> rest) {
        List<String> joined = new ArrayList<>(first);
        joined.addAll(rest);
        if (joined.equals(all)) {
            return null;
        }
        int i = 0;
        while (i < all.size() && i < joined.size() && all.get(i).equals(joined.get(i))) {
            i++;
        }
        return what + " differ at entry " + i + " (" + first.size() + " before the stop): straight "
                + (i < all.size() ? all.get(i) : "<end>") + ", stopped+resumed " + (i < joined.size() ? joined.get(i) : "<end>")
                + " (straight has " + all.size() + " entries, stopped+resumed " + joined.size() + ")";
    }

    /**
     * One run of the check: a {@link Harness} of the runner over a {@link FakeModel} whose
     * {@code w0} is 0.5 (the straight and the stopped runs) or 9 (the resumed runs, which only the
     * checkpoint can bring back), its {@link FakeOptimizer}, the {@link Setup}'s loaders and the
     * check's hooks.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public final class Run {
        private final Harness harness;
        private final FakeModel model;
        private final FakeOptimizer optimizer;
        private final StepHook stepper;
        private final LossTrace trace = new LossTrace();
        private final RecordingHook recorder = new RecordingHook("resume-check");
        private @Nullable RunOutcome outcome;

        private Run(Path workDir, float initW) {
            this.model = new FakeModel(initW, initW / 4);
            this.optimizer = new FakeOptimizer(model);
            this.stepper = new StepHook(optimizer, setup.accumulate());
            Harness h = provider != null ? Harness.runner(provider, options)
                    : Harness.runner(Objects.requireNonNull(runnerName), options);
            h.in(workDir).seed(setup.seed()).workflow(workflow).model(model).optimizer(optimizer)
                    .train(FakeLoader.train(setup.seed(), setup.trainSamples(), setup.trainBatch()))
                    .val(FakeLoader.val(setup.seed(), setup.valSamples(), setup.valBatch()))
                    .withoutOptimizerHook()
                    .hook(stepper, Priority.HIGH)
                    .hook(trace, Priority.NORMAL)
                    .hook(recorder, Priority.LOW);
            for (ExtraHook e : extraHooks) {
                h.hook(e.factory().get(), e.priority());
            }
            this.harness = h;
        }

        RunOutcome run() {
            outcome = harness.run();
            return outcome;
        }

        /** The harness of this run: its runner, loaders, and every call recorded at HIGHEST. */
        public Harness harness() {
            return harness;
        }

        /** The runner of this run. */
        public Runner runner() {
            return harness.runner();
        }

        /** Its model: its parameters, gradients and the batches it saw. */
        public FakeModel model() {
            return model;
        }

        /** Its optimizer and state. */
        public FakeOptimizer optimizer() {
            return optimizer;
        }

        /** The hook that steps its optimizer (HIGH). */
        public StepHook stepHook() {
            return stepper;
        }

        /** The hook calls counted by the {@code resume-check} recorder (LOW). */
        public List<StageCall> calls() {
            return recorder.calls();
        }

        /** What the {@link LossTrace} logged. */
        public List<String> trace() {
            return trace.lines();
        }

        /** How the run ended, or null before it ran. */
        public @Nullable RunOutcome outcome() {
            return outcome;
        }

        /** Where it wrote its checkpoints. */
        public Path workDir() {
            return harness.workDir();
        }
    }
}
