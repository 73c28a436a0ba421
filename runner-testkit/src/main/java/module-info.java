/**
 * For the tests of hook and runner plugins, as JUnit's {@code junit-platform-testkit} is for the
 * authors of test engines: deterministic fakes of a model ({@link dev.stride.runner.testkit.FakeModel}),
 * a data loader ({@link dev.stride.runner.testkit.FakeLoader}) and an optimizer
 * ({@link dev.stride.runner.testkit.FakeOptimizer}); a {@link dev.stride.runner.testkit.Harness} that
 * runs hooks on the real runners, found by name, and records every stage call with the counters
 * the hooks saw ({@link dev.stride.runner.testkit.StageCall}); {@link dev.stride.runner.testkit.ResumeCheck},
 * which proves that a runner resumes exactly from a checkpoint taken at any hook call; and
 * {@link dev.stride.runner.testkit.StageTrace}, a reader of recorded stage traces such as MMCV's.
 *
 * <p>It needs only {@code dev.stride.runner.api} and {@code dev.stride.launcher} (the launcher merges
 * a hook's options onto its defaults exactly as a job does). Runners and hooks are found with
 * {@link java.util.ServiceLoader} when a test runs, so a test puts the providers it uses on its own
 * class path ({@code runner-epoch}, {@code runner-iter}, {@code hooks-builtin}, the plugin under test).
 */
module dev.stride.runner.testkit {
    requires transitive dev.stride.runner.api;
    requires dev.stride.launcher;

    exports dev.stride.runner.testkit;

    uses dev.stride.runner.api.spi.RunnerProvider;
    uses dev.stride.runner.api.spi.HookProvider;
}
