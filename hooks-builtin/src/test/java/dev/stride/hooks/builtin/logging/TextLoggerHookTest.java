package dev.stride.hooks.builtin.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.hooks.builtin.testing.Logs;
import dev.stride.runner.api.Mode;
import dev.stride.runner.testkit.FakeLoader;
import dev.stride.runner.testkit.Harness;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextLoggerHookTest {
    private static final String TIMES = "eta: \\d+:\\d\\d:\\d\\d, time: \\d+\\.\\d{3}, data_time: \\d+\\.\\d{3}, ";

    @TempDir
    Path dir;

    @Test
    void trainAndValLinesHaveMmcvsShape() {
        Harness run = Harness.epochs(2, 4).in(dir).workflow("[[train, 1], [val, 1]]").val(FakeLoader.of(3))
                .hook("iter-timer").hook("text-logger", "interval = 2");
        run.model().losses(n -> 0.4321).valResults(n -> Map.of("loss", 0.25, "accuracy", 0.875));
        run.run();
        List<String> lines = Logs.text(dir);
        assertEquals(6, lines.size(), lines::toString);
        assertMatches("Epoch \\[1\\]\\[2/4\\]\tlr: 1\\.000e-01, " + TIMES + "loss: 0\\.4321", lines.get(0));
        assertMatches("Epoch \\[1\\]\\[4/4\\]\tlr: 1\\.000e-01, " + TIMES + "loss: 0\\.4321", lines.get(1));
        assertEquals("Epoch(val) [1][3]\tloss: 0.2500, accuracy: 0.8750", lines.get(2));
        assertMatches("Epoch \\[2\\]\\[2/4\\]\tlr: .*", lines.get(3));
        assertEquals("Epoch(val) [2][3]\tloss: 0.2500, accuracy: 0.8750", lines.get(5));
    }

    @Test
    void withoutTheTimerThereIsNoEtaOrTime() {
        Harness run = Harness.epochs(1, 2).in(dir).hook("text-logger", "interval = 1");
        run.model().losses(n -> 0.5);
        run.run();
        assertEquals(List.of("Epoch [1][1/2]\tlr: 1.000e-01, loss: 0.5000", "Epoch [1][2/2]\tlr: 1.000e-01, loss: 0.5000"),
                Logs.text(dir));
    }

    @Test
    void averagesTheScalarsOfTheInterval() {
        Harness run = Harness.epochs(1, 4).in(dir).hook("text-logger", "interval = 2");
        run.model().losses(n -> n + 1);
        run.run();
        assertEquals(List.of("Epoch [1][2/4]\tlr: 1.000e-01, loss: 1.5000", "Epoch [1][4/4]\tlr: 1.000e-01, loss: 3.5000"),
                Logs.text(dir));
    }

    @Test
    void theShortLastIntervalOfAnEpochIsLoggedUnlessIgnored() {
        Harness run = Harness.epochs(1, 5).in(dir).hook("text-logger", "interval = 2");
        run.model().losses(n -> n + 1);
        run.run();
        assertEquals(List.of("Epoch [1][2/5]\tlr: 1.000e-01, loss: 1.5000", "Epoch [1][4/5]\tlr: 1.000e-01, loss: 3.5000",
                "Epoch [1][5/5]\tlr: 1.000e-01, loss: 5.0000"), Logs.text(dir));
    }

    @Test
    void ignoreLastSkipsIt() {
        Harness.epochs(1, 5).in(dir).hook("text-logger", "interval = 2, ignore-last = true").run();
        assertEquals(2, Logs.text(dir).size());
    }

    @Test
    void byEpochFalseCountsGlobalIterations() {
        Harness.epochs(2, 5).in(dir).hook("text-logger", "interval = 4, by-epoch = false").run();
        List<String> lines = Logs.text(dir);
        assertEquals(2, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("Iter [4/10]\tlr: 1.000e-01, loss: "), lines.get(0));
        assertTrue(lines.get(1).startsWith("Iter [8/10]\t"), lines.get(1));
    }

    @Test
    void theIterRunnerWritesIterLines() {
        Harness run = Harness.iters(4, 3).in(dir).workflow("[[train, 2], [val, 1]]").hook("iter-timer")
                .hook("text-logger", "interval = 2");
        run.model().losses(n -> 0.25).valResults(n -> Map.of("loss", 0.5, "accuracy", 0.75));
        run.run();
        List<String> lines = Logs.text(dir);
        assertEquals(4, lines.size(), lines::toString);
        assertMatches("Iter \\[2/4\\]\tlr: 1\\.000e-01, " + TIMES + "loss: 0\\.2500", lines.get(0));
        assertEquals("Iter(val) [2]\tloss: 0.5000, accuracy: 0.7500", lines.get(1));
        assertMatches("Iter \\[4/4\\]\t.*", lines.get(2));
        assertEquals("Iter(val) [4]\tloss: 0.5000, accuracy: 0.7500", lines.get(3));
    }

    @Test
    void evaluationsOfTheEvalHookAreLoggedAsValLines() {
        Harness run = Harness.epochs(2, 2).in(dir).val(FakeLoader.of(1)).hook("eval")
                .hook("text-logger", "interval = 2");
        run.model().valResults(n -> Map.of("loss", 0.5, "accuracy", 0.5 + n / 4.0));
        run.run();
        List<String> lines = Logs.text(dir);
        assertEquals(4, lines.size(), lines::toString);
        // [epoch][the val loader's batches], as MMCV's EvalHook lines are written
        assertEquals("Epoch(val) [1][1]\tloss: 0.5000, accuracy: 0.5000", lines.get(1));
        assertEquals("Epoch(val) [2][1]\tloss: 0.5000, accuracy: 0.7500", lines.get(3));
    }

    @Test
    void extraKeysOfOtherHooksArePrinted() {
        Harness run = Harness.epochs(1, 2).in(dir).hook("text-logger", "interval = 2");
        run.hook(new dev.stride.runner.api.Hook() {
            @Override
            public void afterTrainIter(dev.stride.runner.api.Runner r) {
                r.logBuffer(Mode.TRAIN).update("grad_norm", 2.5, 1);
                r.logBuffer(Mode.TRAIN).update("live_tensors", 38, 1);
            }
        }, dev.stride.runner.api.Priority.NORMAL).run();
        // a count (a whole number at every step) prints as an integer, a measurement with 4 decimals
        assertTrue(Logs.text(dir).get(0).endsWith(", grad_norm: 2.5000, live_tensors: 38"), Logs.text(dir)::toString);
    }

    static void assertMatches(String regex, String line) {
        assertTrue(Pattern.compile(regex).matcher(line).matches(), () -> "'" + line + "' does not match " + regex);
    }
}
