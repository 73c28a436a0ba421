package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config without a hooks list shows what happens (issue 14): the loss and lr, and the val
 * metrics, on the console and in the .log and .log.json files, a checkpoint every epoch, the model
 * summary at the start, and the resolved config in the work dir. A hooks list replaces the
 * defaults; {@code default-hooks = false} switches them off.
 */
class DefaultHooksIT {
    @TempDir
    Path tmp;

    /** The README's minimal config: runner, model, data, optimizer, and nothing else. */
    private static String minimal(Path work, String more) {
        return """
                runner { type = epoch, max-epochs = 2 }
                workflow = [[train, 1], [val, 1]]
                work-dir = "%s"
                model { type = mlp, hidden = [32] }
                data {
                  train { type = mnist-idx, root = "%s", split = train, batch-size = 32, shuffle = true, limit = 1600 }
                  val { type = mnist-idx, root = "%s", split = t10k, batch-size = 250, limit = 500 }
                }
                optimizer { type = sgd, lr = 0.1, momentum = 0.9 }
                %s
                """.formatted(work, Configs.mnistRoot(), Configs.mnistRoot(), more);
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void withoutAHooksListARunLogsChecksPointsAndRecordsItsConfig() throws Exception {
        Path work = tmp.resolve("work");
        StrideCli.Result r = StrideCli.run(tmp, "train", Configs.write(tmp, "min.conf", minimal(work, "")).toString());
        assertEquals(0, r.exit(), r.all());
        String console = r.all();
        assertTrue(console.contains("Model: mlp") && console.contains("fc1    Linear") && console.contains("Parameters: 25,450"),
                "the model summary at the start:\n" + console);
        assertTrue(console.matches("(?s).*Epoch \\[1\\]\\[50/50\\]\\s+lr: 1\\.000e-01, .*loss: \\d\\.\\d{4}.*"),
                "train loss and lr on the console:\n" + console);
        assertTrue(console.matches("(?s).*Epoch\\(val\\) \\[2\\]\\[2\\]\\s+loss: \\d\\.\\d{4}, accuracy: 0\\.\\d{4}.*"),
                "val metrics on the console:\n" + console);
        assertFalse(console.contains("progress: epoch"), "piped, the progress hook adds no lines beside the logger's:\n" + console);

        List<String> names = files(work);
        assertTrue(names.contains("epoch_1.safetensors") && names.contains("epoch_2.safetensors")
                && names.contains("last_checkpoint") && names.contains("config.conf"), names.toString());
        assertEquals(1, names.stream().filter(n -> n.endsWith(".log")).count(), names.toString());
        List<Map<String, Object>> records = Configs.jsonLog(work);
        assertTrue(records.stream().anyMatch(m -> "train".equals(m.get("mode")) && m.containsKey("loss") && m.containsKey("lr")),
                records.toString());
        assertTrue(records.stream().anyMatch(m -> "val".equals(m.get("mode")) && m.containsKey("accuracy")), records.toString());

        // config.conf: every default filled in, and a config Stride reads back
        String recorded = Files.readString(work.resolve("config.conf"));
        assertTrue(recorded.contains("text-logger") && recorded.contains("default-hooks=true"), recorded);
        StrideCli.Result again = StrideCli.run(tmp, "train", work.resolve("config.conf").toString(), "--dry-run");
        assertEquals(0, again.exit(), again.all());
        assertTrue(again.all().contains("a first step on real batches gives train loss"), again.all());

        // libtorch prints nothing of its own on the way: no deprecation warning when weights are loaded
        StrideCli.Result test = StrideCli.run(tmp, "test", work.resolve("epoch_2.safetensors").toString(), "--out",
                tmp.resolve("test").toString());
        assertEquals(0, test.exit(), test.all());
        for (String out : List.of(console, test.all())) {
            assertFalse(out.contains("Warning:") || out.contains("[W"), "a native warning on the terminal:\n" + out);
        }
    }

    @Test
    void aHooksListReplacesTheDefaultsAndDefaultHooksFalseSwitchesThemOff() throws Exception {
        Path listed = tmp.resolve("listed");
        StrideCli.Result r = StrideCli.run(tmp, "train", Configs.write(tmp, "listed.conf",
                minimal(listed, "hooks = [{ type = json-logger, interval = 25 }]")).toString());
        assertEquals(0, r.exit(), r.all());
        assertFalse(r.all().contains("Epoch [1]"), "no text logger:\n" + r.all());
        List<String> names = files(listed);
        assertTrue(names.stream().noneMatch(n -> n.endsWith(".safetensors")), "no checkpoint hook: " + names);
        assertTrue(names.stream().anyMatch(n -> n.endsWith(".log.json")), names.toString());

        Path appended = tmp.resolve("appended");
        r = StrideCli.run(tmp, "train", Configs.write(tmp, "appended.conf", minimal(appended, "")).toString(),
                "--set", "hooks+=[{ type = memory }, { type = ema }]", "--set", "runner.max-epochs=1");
        assertEquals(0, r.exit(), r.all());
        assertFalse(r.all().contains("Warning:"), "ema swaps weights without a native warning:\n" + r.all());
        assertTrue(Files.exists(appended.resolve("epoch_1.safetensors")), "+= keeps the defaults");
        assertTrue(Configs.jsonLog(appended).stream().anyMatch(m -> m.containsKey("memory_heap_mb")), "and adds the memory hook");

        Path off = tmp.resolve("off");
        r = StrideCli.run(tmp, "train", Configs.write(tmp, "off.conf", minimal(off, "default-hooks = false")).toString());
        assertEquals(0, r.exit(), r.all());
        assertEquals(List.of(".stride.lock", "config.conf"), files(off), "no logs, no checkpoints (the lock file stays, empty)");
        assertFalse(r.all().contains("Epoch [1]"), r.all());
    }
}
