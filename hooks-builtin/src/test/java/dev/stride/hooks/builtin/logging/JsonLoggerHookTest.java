package dev.stride.hooks.builtin.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.hooks.builtin.testing.Logs;
import dev.stride.runner.testkit.FakeLoader;
import dev.stride.runner.testkit.Harness;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLoggerHookTest {
    @TempDir
    Path dir;

    @Test
    void trainAndValRecordsHaveMmcvsKeysInOrder() {
        Harness run = Harness.epochs(2, 4).in(dir).workflow("[[train, 1], [val, 1]]").val(FakeLoader.of(2))
                .hook("iter-timer").hook("json-logger", "interval = 2");
        run.model().losses(n -> n + 1).valResults(n -> Map.of("loss", 0.25, "accuracy", 0.875));
        run.run();
        List<Map<String, Object>> records = Logs.json(dir);
        assertEquals(6, records.size(), records::toString);
        Map<String, Object> first = records.get(0);
        assertEquals(List.of("mode", "epoch", "iter", "lr", "time", "data_time", "loss"), List.copyOf(first.keySet()));
        assertEquals("train", first.get("mode"));
        assertEquals(1L, first.get("epoch"));
        assertEquals(2L, first.get("iter"));
        assertEquals(0.1, (Double) first.get("lr"), 0);
        assertEquals(1.5, (Double) first.get("loss"), 1e-12);
        assertTrue((Double) first.get("time") >= (Double) first.get("data_time"));
        Map<String, Object> val = records.get(2);
        assertEquals(List.of("mode", "epoch", "iter", "loss", "accuracy"), List.copyOf(val.keySet()));
        assertEquals("val", val.get("mode"));
        assertEquals(1L, val.get("epoch"));
        assertEquals(4L, val.get("iter"), "the global train iteration count");
        assertEquals(0.875, (Double) val.get("accuracy"), 0);
        Map<String, Object> second = records.get(3);
        assertEquals(2L, second.get("epoch"));
        assertEquals(6L, second.get("iter"));
        assertEquals(5.5, (Double) second.get("loss"), 1e-12);
    }

    @Test
    void intervalIgnoreLastAndByEpoch() {
        Harness.epochs(2, 5).in(dir).hook("json-logger", "interval = 2").run();
        assertEquals(List.of(2L, 4L, 5L, 7L, 9L, 10L), iters(), "by epoch, the short last interval included");
    }

    @Test
    void ignoreLast() {
        Harness.epochs(2, 5).in(dir).hook("json-logger", "interval = 2, ignore-last = true").run();
        assertEquals(List.of(2L, 4L, 7L, 9L), iters());
    }

    @Test
    void byEpochFalse() {
        Harness.epochs(2, 5).in(dir).hook("json-logger", "interval = 2, by-epoch = false").run();
        assertEquals(List.of(2L, 4L, 6L, 8L, 10L), iters());
    }

    @Test
    void theIterRunnerLogsByIteration() {
        Harness.iters(7, 5).in(dir).hook("json-logger", "interval = 3").run();
        assertEquals(List.of(3L, 6L), iters());
    }

    private List<Long> iters() {
        return Logs.json(dir).stream().map(r -> (Long) r.get("iter")).toList();
    }
}
