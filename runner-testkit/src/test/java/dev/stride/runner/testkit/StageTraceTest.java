package dev.stride.runner.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Mode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageTraceTest {
    private static final List<String> LINES = List.of(
            "{\"case\": \"x\", \"runner\": \"IterBasedRunner\", \"workflow\": [[\"val\", 1], [\"train\", 2]], \"batches\": [3, 2], \"limit\": 5}",
            "{\"stage\": \"(init)\", \"mode\": null, \"epoch\": 0, \"iter\": 0, \"inner_iter\": 0}",
            "{\"stage\": \"before_run\", \"mode\": null, \"epoch\": 0, \"iter\": 0, \"inner_iter\": 0}",
            "",
            "{\"stage\": \"before_val_iter\", \"mode\": \"val\", \"epoch\": 0, \"iter\": 0, \"inner_iter\": 0, \"loader_epoch\": 0, \"batch\": [0]}",
            "{\"stage\": \"afterRun\", \"mode\": \"train\", \"epoch\": 1, \"iter\": 5, \"inner_iter\": 1}",
            "{\"final\": true, \"mode\": \"train\", \"epoch\": 1, \"iter\": 5, \"inner_iter\": 1}");

    @Test
    void readsTheHeaderTheCallsAndTheFirstAndLastCounters() {
        StageTrace t = StageTrace.readJsonLines(LINES, "x.jsonl");
        assertEquals("x", t.name());
        assertEquals("IterBasedRunner", t.runner());
        assertEquals(Harness.parseWorkflow("[[val, 1], [train, 2]]"), t.workflow());
        assertEquals(List.of(3, 2), t.batches());
        assertEquals(3, t.batches(Mode.VAL), "the workflow uses val first");
        assertEquals(2, t.batches(Mode.TRAIN));
        assertEquals(5, t.limit());
        assertEquals(List.of("beforeRun none e0 i0 in0", "beforeValIter val e0 i0 in0", "afterRun train e1 i5 in1"),
                StageCall.texts(t.calls()));
        assertEquals(List.of(0L), t.rows().get(1).get("batch"));
        assertEquals(0L, t.rows().get(1).get("loader_epoch"));
        assertNull(t.rows().get(0).get("batch"));
        assertEquals("(init) none e0 i0 in0", t.initial().toString());
        assertEquals("final train e1 i5 in1", t.last().toString());
    }

    @Test
    void readsFilesAndStreams(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.jsonl");
        Files.write(file, LINES);
        assertEquals(StageTrace.readJsonLines(LINES, "x"), StageTrace.readJsonLines(file));
        assertEquals(StageTrace.readJsonLines(LINES, "x"), StageTrace.readJsonLines(
                new ByteArrayInputStream(String.join("\n", LINES).getBytes(StandardCharsets.UTF_8)), "x"));
    }

    @Test
    void stageNamesBecomeHookMethodNames() {
        assertEquals("beforeTrainIter", StageTrace.stageName("before_train_iter"));
        assertEquals("afterRun", StageTrace.stageName("after_run"));
        assertEquals("afterValEpoch", StageTrace.stageName("afterValEpoch"));
    }

    @Test
    void aMalformedRowNamesItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StageTrace.readJsonLines(List.of("{}", "{\"stage\": \"before_run\", \"epoch\": 0}"), "t.jsonl"));
        assertTrue(e.getMessage().startsWith("t.jsonl:2: a row needs mode, epoch, iter and inner_iter"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StageTrace.readJsonLines(List.of("{}", "[1"), "t.jsonl"));
        assertTrue(e.getMessage().startsWith("t.jsonl:2: not JSON"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StageTrace.readJsonLines(List.of(), "t.jsonl"));
        assertEquals(Map.of(), StageTrace.readJsonLines(List.of("{}"), "t").header());
    }
}
