package dev.stride.hooks.builtin.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.Runner;
import dev.stride.runner.testkit.FakeLoader;
import dev.stride.runner.testkit.Harness;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IterTimerHookTest {
    @TempDir
    Path dir;

    @Test
    void splitsEachIterationIntoDataTimeAndTime() {
        // each batch takes 30 ms to load and each step 15 ms: data_time ~ 0.030, time ~ 0.045
        Harness run = Harness.epochs(2, 3).in(dir).train(FakeLoader.of(3, 2).delayMillis(30)).hook("iter-timer");
        run.model().stepMillis(15);
        List<double[]> seen = new ArrayList<>();
        run.hook(new Hook() {
            @Override
            public void afterTrainIter(Runner r) {
                seen.add(new double[] {r.logBuffer(Mode.TRAIN).latest("data_time"), r.logBuffer(Mode.TRAIN).latest("time")});
            }
        }, Priority.LOWEST).run();
        assertEquals(6, seen.size());
        for (double[] t : seen) {
            assertTrue(t[0] >= 0.025 && t[0] < 0.5, "data_time " + t[0]);
            assertTrue(t[1] >= t[0] + 0.012 && t[1] < 1, "time " + t[1] + " vs data_time " + t[0]);
        }
    }

    @Test
    void timesValIterationsIntoTheValBuffer() {
        Harness run = Harness.epochs(1, 2).in(dir).workflow("[[train, 1], [val, 1]]")
                .val(FakeLoader.of(2, 2).delayMillis(20)).hook("iter-timer");
        run.run();
        assertEquals(2, run.runner().logBuffer(Mode.VAL).count("time"));
        assertTrue(run.runner().logBuffer(Mode.VAL).average(0).get("data_time") >= 0.015);
    }
}
