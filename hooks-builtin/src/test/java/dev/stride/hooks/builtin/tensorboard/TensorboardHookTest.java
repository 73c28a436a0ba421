package dev.stride.hooks.builtin.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.hooks.builtin.testing.Logs;
import dev.stride.runner.testkit.FakeLoader;
import dev.stride.runner.testkit.Harness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorboardHookTest {
    @TempDir
    Path dir;

    @Test
    void theReadersCrc32cIsTheStandardOne() {
        assertEquals(0xE3069283, EventFileReader.crc32c("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void writesEveryScalarTheJsonLoggerWritesAtTheSameSteps() throws IOException {
        Harness run = Harness.epochs(2, 4).in(dir).workflow("[[train, 1], [val, 1]]").val(FakeLoader.of(2))
                .hook("iter-timer").hook("json-logger", "interval = 2").hook("tensorboard", "interval = 2");
        run.model().losses(n -> 1.0 / (n + 1)).valResults(n -> Map.of("loss", 0.3 + n, "accuracy", 0.6 + n / 100.0));
        run.run();
        List<EventFileReader.Event> events = EventFileReader.read(eventFile(dir.resolve("tf_logs")));
        assertEquals("brain.Event:2", events.get(0).fileVersion());
        assertTrue(events.get(0).scalars().isEmpty());
        List<Map<String, Object>> records = Logs.json(dir);
        assertEquals(records.size(), events.size() - 1);
        for (int i = 0; i < records.size(); i++) {
            Map<String, Object> r = records.get(i);
            EventFileReader.Event e = events.get(i + 1);
            assertNull(e.fileVersion());
            assertEquals(((Number) r.get("global_iter")).longValue(), e.step(), "steps are global train iterations");
            assertTrue(Math.abs(e.wallTime() - System.currentTimeMillis() / 1000.0) < 600, "wall time in seconds");
            int scalars = 0;
            for (Map.Entry<String, Object> kv : r.entrySet()) {
                if (kv.getValue() instanceof Double d) {
                    String tag = r.get("mode") + "/" + kv.getKey();
                    assertEquals(d.floatValue(), e.scalars().get(tag), () -> tag + " in " + e);
                    scalars++;
                }
            }
            assertEquals(scalars, e.scalars().size(), e::toString);
        }
        assertEquals(List.of("train/lr", "train/time", "train/data_time", "train/loss"),
                List.copyOf(events.get(1).scalars().keySet()));
        assertEquals(List.of("val/loss", "val/accuracy"), List.copyOf(events.get(3).scalars().keySet()));
        assertEquals(4, events.get(3).step());
        assertEquals(0.625f, events.get(6).scalars().get("val/accuracy"), 1e-6f, "the mean of val steps 2 and 3");
    }

    @Test
    void logDirIsRelativeToTheWorkDirAndTheFileNamedAsTensorflowNamesIt() throws IOException {
        Harness.epochs(1, 2).in(dir).hook("tensorboard", "log-dir = \"runs/a\"").run();
        String name = eventFile(dir.resolve("runs/a")).getFileName().toString();
        assertTrue(name.matches("events\\.out\\.tfevents\\.\\d{10}\\.[A-Za-z0-9._-]+"), name);
    }

    @Test
    void intervalIgnoreLastAndByEpochChooseTheSteps() throws IOException {
        assertEquals(List.of(2L, 4L, 5L, 7L, 9L, 10L), trainSteps("a", "interval = 2"));
        assertEquals(List.of(2L, 4L, 7L, 9L), trainSteps("b", "interval = 2, ignore-last = true"));
        assertEquals(List.of(2L, 4L, 6L, 8L, 10L), trainSteps("c", "interval = 2, by-epoch = false"));
    }

    @Test
    void logsEvaluationsOfTheEvalHook() throws IOException {
        Harness run = Harness.iters(6, 4).in(dir).val(FakeLoader.of(1)).hook("eval", "interval = 3")
                .hook("tensorboard", "interval = 3");
        run.model().valResults(n -> Map.of("accuracy", 0.5));
        run.run();
        List<EventFileReader.Event> val = EventFileReader.read(eventFile(dir.resolve("tf_logs"))).stream()
                .filter(e -> e.scalars().containsKey("val/accuracy")).toList();
        assertEquals(List.of(3L, 6L), val.stream().map(EventFileReader.Event::step).toList());
    }

    @Test
    void eachRunStartsANewFile() throws IOException {
        Harness first = Harness.epochs(1, 2).in(dir).hook("tensorboard", "interval = 1").hook("checkpoint");
        first.run();
        Harness second = Harness.epochs(2, 2).in(dir).hook("tensorboard", "interval = 1");
        second.resume(dir.resolve("epoch_1.safetensors")).run();
        try (Stream<Path> files = Files.list(dir.resolve("tf_logs"))) {
            List<Path> all = files.sorted().toList();
            assertEquals(2, all.size(), all::toString);
            assertEquals(List.of(3L, 4L), EventFileReader.read(all.get(1)).stream().skip(1).map(EventFileReader.Event::step)
                    .toList());
        }
    }

    private List<Long> trainSteps(String sub, String options) throws IOException {
        Harness.epochs(2, 5).in(dir.resolve(sub)).hook("tensorboard", options).run();
        return EventFileReader.read(eventFile(dir.resolve(sub).resolve("tf_logs"))).stream().skip(1)
                .map(EventFileReader.Event::step).toList();
    }

    private static Path eventFile(Path logDir) throws IOException {
        try (Stream<Path> files = Files.list(logDir)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).toList();
            assertEquals(1, found.size(), found::toString);
            return found.get(0);
        }
    }
}
