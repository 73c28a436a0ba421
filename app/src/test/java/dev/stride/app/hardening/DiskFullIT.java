package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stride.app.it.StrideCli;
import dev.stride.runner.api.internal.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up while logging, in a real process: the disk is reported full with exit 1
 * and no stack trace, and what was written before stays intact: checkpoints verify,
 * last_checkpoint names one, the log lines written before are whole.
 *
 * <p>The work dir is a 136 KB tmpfs (34 pages of 4 KB); both logs are written every iteration
 * (300 per epoch: about 75 KB, 19 pages, the JSON log's first line with the run's config included),
 * config.conf (1 page), a checkpoint per epoch (17 KB: 5 pages, and last_checkpoint 1). epoch_1 is
 * saved with 5 pages to spare, then the disk fills while logging epoch 2. Needs root to mount the tmpfs; skipped otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiskFullIT {
    @TempDir
    static Path tmp;
    Path mount;
    StrideCli.Result result;
    List<Path> logs;

    @BeforeAll
    void fillTheDiskWhileLogging() throws Exception {
        mount = Files.createDirectories(tmp.resolve("small"));
        assumeTrue(CliMistakesTest.run("mount", "-t", "tmpfs", "-o", "size=136k", "tmpfs", mount.toString()) == 0,
                "cannot mount a tmpfs here (needs root)");
        String job = """
                runner { type = epoch, max-epochs = 5 }
                seed = 3
                work-dir = "%s"
                model { type = mlp, hidden = [8] }
                data.train { type = synthetic, size = 4800, shape = [4], num-classes = 3, batch-size = 16 }
                optimizer { type = sgd, lr = 0.1 }
                hooks = [
                  { type = checkpoint, interval = 1 }
                  { type = text-logger, interval = 1 }
                  { type = json-logger, interval = 1 }
                ]
                """.formatted(mount);
        result = Launch.run(tmp, List.of(), "train", Jobs.write(tmp, "full.conf", job).toString());
        try (Stream<Path> s = Files.list(mount)) {
            logs = s.filter(p -> p.toString().endsWith(".log") || p.toString().endsWith(".log.json")).sorted().toList();
        }
    }

    @AfterAll
    void unmount() throws Exception {
        if (mount != null) {
            CliMistakesTest.run("umount", mount.toString());
        }
    }

    @Test
    void theFullDiskIsReportedWithExit1AndEverythingWrittenBeforeIsIntact() throws Exception {
        StrideCli.Result r = result;
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.err().contains("cannot write to the log file"), r.err());
        assertTrue(r.err().contains("the disk is full"), r.err());
        assertTrue(r.err().contains("--resume auto"), "says how to go on: " + r.err());
        assertFalse(r.all().contains("\tat "), "no stack trace for a full disk:\n" + r.all());
        assertEquals(mount.resolve("epoch_1.safetensors"), WorkDirs.assertIntact(mount));
        assertEquals(2, logs.size(), "a text log and a JSON log: " + logs);
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            String whole = text.substring(0, text.lastIndexOf('\n') + 1);
            assertTrue(whole.lines().count() > 300, "epoch 1 was logged whole: " + log);
            if (log.toString().endsWith(".json")) {
                for (String line : whole.split("\n")) {
                    Json.parse(line); // every line written before the failure is a whole record
                }
            }
        }
    }

    @Test
    void theFailedLineLeavesNoPartialRecordBehind() throws Exception {
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(text.endsWith("\n"), log + " ends with a partial line: ..." + text.substring(Math.max(0, text.length() - 120)));
        }
    }
}
