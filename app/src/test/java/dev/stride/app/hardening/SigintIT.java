package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.stride.app.it.StrideCli;
import dev.stride.runner.api.internal.AtomicFiles;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on real training processes ({@code kill -INT}). One SIGINT stops after the current
 * iteration with a checkpoint and exit 130, and {@code --resume auto} then ends bit-identical to
 * an uninterrupted run. A second SIGINT stops at once, even inside a checkpoint write, with exit
 * 130: every checkpoint left verifies, last_checkpoint names a good one, and resuming still ends
 * identical to the uninterrupted run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SigintIT {
    private static final String BY_EPOCH = "{ type = checkpoint, interval = 1 }";

    @TempDir
    static Path tmp;
    Path straight;

    @BeforeAll
    void trainWithoutInterruption() throws Exception {
        straight = tmp.resolve("straight");
        Path cfg = Jobs.write(tmp, "straight.conf", Processes.mnistJob(straight, BY_EPOCH));
        StrideCli.Result r = StrideCli.run(tmp, "train", cfg.toString());
        assertEquals(0, r.exit(), r.all());
    }

    private Process start(String name, Path work, Map<String, String> env) throws Exception {
        Path cfg = Jobs.write(tmp, name + ".conf", Processes.mnistJob(work, BY_EPOCH));
        Process p = StrideCli.start(tmp, env, tmp.resolve(name + ".out"), tmp.resolve(name + ".err"), "train", cfg.toString());
        assumeFalse(Processes.ignoresSigint(p), "this test runs with SIGINT ignored (nohup?): the JVM cannot handle it");
        return p;
    }

    /**
     * @param sameLog whether the logs must match too: after a stop at once, the records logged
     *     since the last checkpoint are logged again by the resumed run, as after a kill -9
     */
    private void resumeAndCompare(String name, Path work, String expectedOut, boolean sameLog) throws Exception {
        StrideCli.Result r = StrideCli.run(tmp, "train", tmp.resolve(name + ".conf").toString(), "--resume", "auto");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains(expectedOut), r.out());
        assertEquals(List.of(), WorkDirs.differences(straight.resolve("epoch_3.safetensors"), work.resolve("epoch_3.safetensors")),
                "resumed after SIGINT, the run ends with the uninterrupted run's tensors");
        if (sameLog) {
            assertEquals(Processes.losses(straight), Processes.losses(work),
                    "the interrupted run's log followed by the resumed run's equals the uninterrupted run's, record for record");
        }
    }

    @Test
    void oneSigintStopsAfterTheIterationWithACheckpointAndResumeContinuesExactly() throws Exception {
        Path work = tmp.resolve("once");
        Process p = start("once", work, Map.of());
        Processes.waitForLogLines(work, 2, p); // iteration 20 of epoch 1's 1,000
        Processes.killWhileStopped("INT", p, () -> {
            List<Map<String, Object>> log = Processes.jsonLog(work);
            Map<String, Object> last = log.get(log.size() - 1);
            assertEquals("train", last.get("mode"), "the signal must come in epoch 1's training: " + last);
            assertEquals(1, ((Number) last.get("epoch")).intValue(), "the signal must come in epoch 1's training: " + last);
            assertTrue(((Number) last.get("iter")).intValue() <= Processes.MNIST_JOB_ITERS / 2,
                    "the signal must come well before epoch 1 ends (the machine was too slow to see the log in time): " + last);
        });
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running a minute after SIGINT");
        String out = Processes.read(tmp.resolve("once.out"));
        assertEquals(130, p.exitValue(), out + Processes.read(tmp.resolve("once.err")));
        assertTrue(out.contains("SIGINT: stopping after this iteration"), out);
        assertTrue(out.contains("Interrupted; resume with: --resume auto"), out);
        Path latest = WorkDirs.assertIntact(work);
        assertTrue(latest.getFileName().toString().startsWith("iter_"), "SIGINT mid-epoch writes iter_N: " + latest);
        resumeAndCompare("once", work, "Resumed from " + latest, true);
    }

    /**
     * Checkpoint writes are slowed to 3 s (the test hook of CheckpointFiles), so the first SIGINT's
     * checkpoint is still being written when the second one comes 0.5 s later.
     */
    @Test
    void aSecondSigintStopsAtOnceEvenInsideACheckpointWriteAndDamagesNothing() throws Exception {
        Path work = tmp.resolve("twice");
        Process p = start("twice", work, Map.of(CheckpointFiles.TEST_DELAY_ENV, "3000"));
        int perEpoch = Processes.MNIST_JOB_ITERS / 10 + 1; // the train lines of an epoch and its val line
        Processes.waitForLogLines(work, perEpoch + 2, p); // into epoch 2, after epoch_1 was written
        assertEquals(List.of(work.resolve("epoch_1.safetensors")), WorkDirs.checkpoints(work));
        Processes.kill("INT", p);
        Thread.sleep(500);
        long second = System.nanoTime();
        Processes.kill("INT", p);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running a minute after two SIGINTs");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - second);
        String out = Processes.read(tmp.resolve("twice.out"));
        assertEquals(130, p.exitValue(), out + Processes.read(tmp.resolve("twice.err")));
        assertTrue(millis < 2000, "the second SIGINT must stop at once, not after the 3 s write: " + millis + " ms");
        assertFalse(out.contains("Stopped (SIGINT)"), "the first SIGINT's checkpoint cannot have completed:\n" + out);
        try (Stream<Path> s = Files.list(work)) {
            assertTrue(s.anyMatch(f -> f.getFileName().toString().contains(AtomicFiles.TEMP_MARK)),
                    "the second SIGINT should land inside the checkpoint write, leaving its temp file");
        }
        assertEquals(work.resolve("epoch_1.safetensors"), WorkDirs.assertIntact(work));
        resumeAndCompare("twice", work, "Removed 1 unfinished checkpoint file", false);
    }
}
