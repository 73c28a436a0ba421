package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.app.it.ProcessControl;
import dev.stride.app.it.StrideCli;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.internal.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 2: two processes in one work dir. The second is refused at once naming the first;
 * it touches none of the first one's files (not even the checkpoint it is writing); after kill -9
 * of the first, the OS has released the lock and a new run resumes.
 */
class WorkDirLockIT {
    @TempDir
    Path tmp;

    @Test
    void aSecondRunIsRefusedAtOnceNamingTheFirstAndKill9ReleasesTheLock() throws Exception {
        Path work = tmp.resolve("work");
        Path cfg = Jobs.write(tmp, "job.conf", Jobs.synthetic(work, 3, "{ type = checkpoint, interval = 1 }"));
        // every checkpoint write pauses 6 s after its first bytes: the first run is inside a write for long
        Process first = StrideCli.start(tmp, Map.of(CheckpointFiles.TEST_DELAY_ENV, "6000"), tmp.resolve("first.out"),
                tmp.resolve("first.err"), "train", cfg.toString());
        try {
            // the second run starts while the first is stopped inside a write (a stopped process keeps its lock), so it
            // meets the first there however slow the machine; if the write ended before the stop, at the next write
            boolean[] met = {false};
            for (int write = 1; !met[0]; write++) {
                assertTrue(write <= 3, "the run's three checkpoint writes all ended before the test stopped the run");
                Path temp = Processes.waitForTempFile(work, first);
                ProcessControl.whileStopped(first, () -> {
                    if (!Files.exists(temp)) {
                        return; // this write ended before the stop
                    }
                    met[0] = true;
                    long start = System.nanoTime();
                    StrideCli.Result second = StrideCli.run(tmp, "train", cfg.toString());
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    System.out.printf("WorkDirLockIT: the second run was refused after %d ms%n", millis);
                    assertEquals(2, second.exit(), second.all());
                    assertTrue(second.err().contains("the work dir " + work + " is in use by process " + first.pid()
                            + " (stride train " + cfg + ", started "), second.err());
                    assertTrue(second.err().contains("wait for it, stop it, or use another --work-dir"), second.err());
                    assertFalse(second.all().contains("\tat "), second.all());
                    assertFalse(second.out().contains("Training"), "refused before it loaded anything:\n" + second.out());
                    assertTrue(first.isAlive(), "the first run goes on");
                    assertTrue(Files.exists(temp), "the checkpoint the first run is writing is untouched: " + temp);
                });
            }

            // let the first run commit epoch_1, then kill it hard (its lock goes with it)
            Processes.waitFor(() -> Files.exists(work.resolve("epoch_1.safetensors")), first, "epoch_1");
            ProcessControl.kill("KILL", first);
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        } finally {
            first.destroyForcibly();
        }

        StrideCli.Result third = StrideCli.run(tmp, "train", cfg.toString(), "--resume", "auto");
        assertEquals(0, third.exit(), third.all());
        assertTrue(third.out().contains("Resumed from " + work.resolve("epoch_")), third.out());
        assertTrue(third.out().contains("Done: completed (epoch 3, iter 30)"), third.out());
        assertEquals(work.resolve("epoch_3.safetensors"), WorkDirs.assertIntact(work));
        try (Stream<Path> s = Files.list(work)) {
            assertEquals(List.of(), s.filter(p -> p.toString().contains(AtomicFiles.TEMP_MARK)).toList(),
                    "the killed run's unfinished file was removed by the run that holds the lock");
        }
        assertTrue(Files.readString(work.resolve(".stride.lock")).contains("--resume auto"),
                "the lock file names the run that held it last");
    }
}
