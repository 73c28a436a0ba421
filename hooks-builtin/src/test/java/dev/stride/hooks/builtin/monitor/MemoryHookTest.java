package dev.stride.hooks.builtin.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.hooks.builtin.testing.Logs;
import dev.stride.runner.api.LogBuffer;
import dev.stride.runner.api.Mode;
import dev.stride.runner.testkit.Harness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryHookTest {
    @TempDir
    Path dir;

    @Test
    void putsHeapRssAndLiveTensorsIntoTheTrainLogEveryInterval() {
        Harness run = Harness.epochs(1, 6).in(dir).hook("memory", "interval = 2").hook("json-logger", "interval = 6")
                .hook("text-logger", "interval = 6");
        run.model().liveTensors(7);
        run.run();
        LogBuffer train = run.runner().logBuffer(Mode.TRAIN);
        assertEquals(3, train.count("memory_heap_mb"));
        assertEquals(3, train.count("live_tensors"));
        Map<String, Object> record = Logs.json(dir).get(0);
        assertTrue((Double) record.get("memory_heap_mb") > 1, record::toString);
        assertEquals(7L, record.get("live_tensors"), "a count: an integer in the JSON log");
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            assertTrue((Double) record.get("memory_rss_mb") > (Double) record.get("memory_heap_mb") / 4, record::toString);
        }
        String line = Logs.text(dir).get(0);
        assertTrue(line.contains(", live_tensors: 7") && !line.contains("live_tensors: 7.0") && line.contains("memory_heap_mb: "), line);
    }

    @Test
    void theIterRunnerSamplesByGlobalIteration() {
        Harness run = Harness.iters(9, 4).in(dir).hook("memory", "interval = 3");
        run.run();
        assertEquals(3, run.runner().logBuffer(Mode.TRAIN).count("memory_heap_mb"));
    }

    @Test
    void liveTensorsAreLeftOutWhenTheModelCannotTell() {
        Harness run = Harness.epochs(1, 2).in(dir).hook("memory", "interval = 1");
        run.model().liveTensors(-1);
        run.run();
        assertEquals(2, run.runner().logBuffer(Mode.TRAIN).count("memory_heap_mb"));
        assertFalse(run.runner().logBuffer(Mode.TRAIN).average(0).containsKey("live_tensors"));
    }

    @Test
    void readsVmRssInKilobytes() {
        assertEquals(123456, ProcessMemory.parseKb("\t  123456 kB"));
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            assertTrue(ProcessMemory.rssBytes().orElseThrow() > 1 << 20);
        }
    }
}
