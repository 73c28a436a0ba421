package dev.stride.hooks.builtin.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.support.Stage;
import dev.stride.runner.testkit.Harness;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileHookTest {
    private static final Pattern ROW = Pattern.compile("  (.+?)\\s{2,}(\\S+)\\s+(\\d+)\\s+(\\d+\\.\\d{3})\\s+(\\d+\\.\\d{3})\\s+(\\d+\\.\\d)%");

    @TempDir
    Path dir;

    /** A fake clock, in nanoseconds: time passes only when the test's hooks and model step say so. */
    private static final class Clock {
        final AtomicLong nanos = new AtomicLong();

        void advanceMillis(long millis) {
            nanos.addAndGet(millis * 1_000_000);
        }
    }

    /** A hook that takes {@code millis} of the fake clock at after-train-iter. */
    private record Slow(String name, long millis, Clock clock) implements Hook {
        @Override
        public void afterTrainIter(Runner runner) {
            clock.advanceMillis(millis);
        }
    }

    @Test
    void timesEachPriorityGroupPerStageAndTheModelStepSortedByTotal() {
        Clock clock = new Clock();
        ProfileHook profile = new ProfileHook(clock.nanos::get);
        Harness run = Harness.epochs(2, 5).in(dir).workflow("[[train, 1], [val, 1]]").hook(profile, 0)
                .hook(new Slow("slow", 6, clock), 60).hook(new Slow("slower", 12, clock), 65)
                .hook(new Slow("also-65", 1, clock), 65);
        run.model().losses(n -> { // each train step takes 3 ms
            clock.advanceMillis(3);
            return 0.5;
        });
        run.run();
        String report = profile.report();
        assertNotNull(report, "printed at the end of the run");
        // 10 train iterations, nothing else takes time: 10 x 13 + 10 x 6 + 10 x 3 ms = 0.22 s in all
        assertEquals(List.of(
                List.of("slower + also-65 (65)", "afterTrainIter", "10", "0.130", "13.000", "59.1"),
                List.of("slow (60)", "afterTrainIter", "10", "0.060", "6.000", "27.3"),
                List.of("(train step of the model)", "-", "10", "0.030", "3.000", "13.6")),
                rows(report).stream().map(List::of).toList(), report);
        assertTrue(report.startsWith("Profile of the run, 0:00:00 in all"), report);
        assertTrue(report.contains("rows under 1 ms not shown"), "the other hooks, data loading and val took no time: " + report);
    }

    @Test
    void registersOneProbeAfterEachPriorityOfTheOtherHooks() {
        ProfileHook profile = (ProfileHook) Harness.newHook("profile", "");
        Harness run = Harness.epochs(1, 2).in(dir).hook(profile, 0).hook("checkpoint").hook("text-logger")
                .hook("json-logger");
        run.run();
        List<String> names = run.runner().hooks().stream().map(Hook::name).toList();
        // the harness's own recorder runs first, at HIGHEST before the profile hook, which does not measure it
        assertEquals(List.of(Harness.RECORDER, "profile", "optimizer", "profile-probe-40", "checkpoint", "profile-probe-50",
                "text-logger", "json-logger", "profile-probe-90"), names);
    }

    @Test
    void aRunnerThatDoesNotTellPrioritiesGetsOneProbeForAllHooks() {
        Runner runner = mock(Runner.class);
        Hook other = new Slow("other", 0, new Clock());
        ProfileHook profile = new ProfileHook(System::nanoTime);
        when(runner.hooks()).thenReturn(List.of(profile, other));
        profile.beforeRun(runner);
        verify(runner).registerHook(any(Probe.class), eq(100));
        profile.beforeRun(runner); // a second run of the same runner adds no second probe
        verify(runner, times(1)).registerHook(any(Hook.class), anyInt());
    }

    @Test
    void theTableSumsTheGapsBetweenMarkers() {
        long[] now = {0};
        Timings t = new Timings(() -> now[0]);
        t.groups(List.of("a (10)", "b (20)"));
        t.start(Stage.BEFORE_RUN); // the probes are registered during before-run: only the profile hook marks it
        t.start(Stage.BEFORE_TRAIN_EPOCH);
        t.probe(Stage.BEFORE_TRAIN_EPOCH, 0);
        t.probe(Stage.BEFORE_TRAIN_EPOCH, 1);
        for (int i = 0; i < 3; i++) {
            now[0] += 1_000_000;
            t.start(Stage.BEFORE_TRAIN_ITER); // 1 ms of data loading
            now[0] += 2_000_000;
            t.probe(Stage.BEFORE_TRAIN_ITER, 0); // a: 2 ms
            t.probe(Stage.BEFORE_TRAIN_ITER, 1); // b: 0
            now[0] += 5_000_000;
            t.start(Stage.AFTER_TRAIN_ITER); // the step: 5 ms
            t.probe(Stage.AFTER_TRAIN_ITER, 0);
            now[0] += 3_000_000;
            t.probe(Stage.AFTER_TRAIN_ITER, 1); // b: 3 ms
        }
        t.start(Stage.AFTER_RUN);
        t.probe(Stage.AFTER_RUN, 0);
        t.probe(Stage.AFTER_RUN, 1);
        List<String[]> rows = rows(t.report());
        assertEquals(4, rows.size(), t.report());
        assertEquals(List.of("(train step of the model)", "-", "3", "0.015", "5.000", "45.5"), List.of(rows.get(0)));
        assertEquals(List.of("b (20)", "afterTrainIter", "3", "0.009", "3.000", "27.3"), List.of(rows.get(1)));
        assertEquals(List.of("a (10)", "beforeTrainIter", "3", "0.006", "2.000", "18.2"), List.of(rows.get(2)));
        assertEquals(List.of("(train data loading)", "-", "3", "0.003", "1.000", "9.1"), List.of(rows.get(3)));
        assertTrue(t.report().contains("rows under 1 ms not shown"), t.report());
    }

    private static List<String[]> rows(String report) {
        List<String[]> rows = new ArrayList<>();
        for (String line : report.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows.add(new String[] {m.group(1).trim(), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)});
            }
        }
        return rows;
    }
}
