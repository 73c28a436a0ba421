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
        assertEquals(List.of("mode", "epoch", "iter", "global_iter", "lr", "time", "data_time", "loss"),
                List.copyOf(first.keySet()));
        assertEquals("train", first.get("mode"));
        assertEquals(1L, first.get("epoch"));
        assertEquals(2L, first.get("iter"));
        assertEquals(0.1, (Double) first.get("lr"), 0);
        assertEquals(1.5, (Double) first.get("loss"), 1e-12);
        assertTrue((Double) first.get("time") >= (Double) first.get("data_time"));
        Map<String, Object> val = records.get(2);
        assertEquals(List.of("mode", "epoch", "iter", "global_iter", "loss", "accuracy"), List.copyOf(val.keySet()));
        assertEquals("val", val.get("mode"));
        assertEquals(1L, val.get("epoch"));
        assertEquals(2L, val.get("iter"), "the val epoch's batches, as MMCV writes it");
        assertEquals(4L, val.get("global_iter"), "the global train iteration count");
        assertEquals(0.875, (Double) val.get("accuracy"), 0);
        Map<String, Object> second = records.get(3);
        assertEquals(2L, second.get("epoch"));
        assertEquals(2L, second.get("iter"), "by epoch: the iteration within the epoch, as MMCV writes it");
        assertEquals(6L, second.get("global_iter"));
        assertEquals(5.5, (Double) second.get("loss"), 1e-12);
    }

    @Test
    void intervalIgnoreLastAndByEpoch() {
        Harness.epochs(2, 5).in(dir).hook("json-logger", "interval = 2").run();
        assertEquals(List.of(2L, 4L, 5L, 7L, 9L, 10L), globalIters(), "by epoch, the short last interval included");
        assertEquals(List.of(2L, 4L, 5L, 2L, 4L, 5L), iters(), "iter counts within the epoch");
    }

    @Test
    void ignoreLast() {
        Harness.epochs(2, 5).in(dir).hook("json-logger", "interval = 2, ignore-last = true").run();
        assertEquals(List.of(2L, 4L, 7L, 9L), globalIters());
        assertEquals(List.of(2L, 4L, 2L, 4L), iters());
    }

    @Test
    void byEpochFalse() {
        Harness.epochs(2, 5).in(dir).hook("json-logger", "interval = 2, by-epoch = false").run();
        assertEquals(List.of(2L, 4L, 6L, 8L, 10L), iters(), "not by epoch: iter is the global count");
        assertEquals(iters(), globalIters());
    }

    @Test
    void theIterRunnerLogsByIteration() {
        Harness.iters(7, 5).in(dir).hook("json-logger", "interval = 3").run();
        assertEquals(List.of(3L, 6L), iters());
        assertEquals(List.of(3L, 6L), globalIters());
    }

    /** The first line describes the run as MMCV's runner.meta does: env_info, the resolved config, seed, exp_name. */
    @Test
    void theFirstLineDescribesTheRun() {
        Harness.epochs(1, 2).in(dir).seed(17).hook("json-logger").run();
        Map<String, Object> meta = Logs.meta(dir);
        assertEquals(List.of("env_info", "config", "seed", "exp_name", "stride_version", "runner"), List.copyOf(meta.keySet()));
        assertEquals(17L, meta.get("seed"));
        assertEquals(dir.getFileName().toString(), meta.get("exp_name"));
        assertEquals("epoch", meta.get("runner"));
        assertTrue(((String) meta.get("env_info")).contains("Java: " + Runtime.version()), meta.toString());
    }

    /** A scalar that is a whole number at every step (a count) is written as an integer, not 38.0. */
    @Test
    void countsAreIntegers() {
        Harness run = Harness.epochs(1, 4).in(dir).hook("memory", "interval = 1").hook("json-logger", "interval = 2");
        run.model().liveTensors(38);
        run.run();
        Map<String, Object> first = Logs.json(dir).get(0);
        assertEquals(38L, first.get("live_tensors"), first.toString());
        assertTrue(first.get("loss") instanceof Double, first.toString());
    }

    private List<Long> iters() {
        return Logs.json(dir).stream().map(r -> (Long) r.get("iter")).toList();
    }

    private List<Long> globalIters() {
        return Logs.json(dir).stream().map(r -> (Long) r.get("global_iter")).toList();
    }
}
