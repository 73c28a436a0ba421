package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.stride.app.it.ProcessControl;
import dev.stride.app.it.StrideCli;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        try {
            // sent while the run is stopped at a train record in the first half of an epoch (epoch 1 unless the test came late)
            Map<String, Object> at = ProcessControl.signalWhen("INT", p, work,
                    r -> "train".equals(r.get("mode")) && ProcessControl.number(r, "iter") <= Processes.MNIST_JOB_ITERS / 2,
                    "in the first half of a train epoch");
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running a minute after SIGINT");
            String out = Processes.read(tmp.resolve("once.out"));
            assertEquals(130, p.exitValue(), out + Processes.read(tmp.resolve("once.err")));
            assertTrue(out.contains("SIGINT: stopping after this iteration"), out);
            assertTrue(out.contains("Interrupted; resume with: --resume auto"), out);
            Path latest = WorkDirs.assertIntact(work);
            String name = latest.getFileName().toString();
            assertTrue(name.matches("iter_\\d+\\.safetensors"), "SIGINT mid-epoch writes iter_N: " + latest);
            int stoppedAt = Integer.parseInt(name.substring("iter_".length(), name.indexOf('.')));
            int epoch = ProcessControl.number(at, "epoch");
            assertTrue(stoppedAt >= ProcessControl.number(at, "global_iter") && stoppedAt < epoch * Processes.MNIST_JOB_ITERS,
                    "stopped in the epoch the signal came in, after " + at + ": " + latest);
            resumeAndCompare("once", work, "Resumed from " + latest, true);
        } finally {
            p.destroyForcibly(); // when the test failed midway; it would go on writing into the shared temp dir
        }
    }

    /** How long the test hook of CheckpointFiles makes every checkpoint write of the "twice" run pause. */
    private static final long WRITE_PAUSE_MILLIS = 30_000;

    /**
     * Checkpoint writes pause for 30 s after their first bytes (the test hook of CheckpointFiles), so
     * the first SIGINT's checkpoint is still being written when the second one comes: it goes out
     * once that checkpoint's temp file exists, while the run is stopped.
     */
    @Test
    void aSecondSigintStopsAtOnceEvenInsideACheckpointWriteAndDamagesNothing() throws Exception {
        Path work = tmp.resolve("twice");
        Process p = start("twice", work, Map.of(CheckpointFiles.TEST_DELAY_ENV, Long.toString(WRITE_PAUSE_MILLIS)));
        try {
            int perEpoch = Processes.MNIST_JOB_ITERS / 10 + 1; // the train lines of an epoch and its val line
            Processes.waitForLogLines(work, perEpoch + 2, p); // into epoch 2, after epoch_1 was written
            assertEquals(List.of(work.resolve("epoch_1.safetensors")), WorkDirs.checkpoints(work));
            Processes.kill("INT", p);
            Path temp = Processes.waitForTempFile(work, p); // the first SIGINT's checkpoint is being written
            long[] second = new long[1];
            ProcessControl.killWhileStopped("INT", p, () -> {
                assertTrue(Files.exists(temp), "the checkpoint write is still going on: " + temp);
                second[0] = System.nanoTime();
            });
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running a minute after two SIGINTs");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - second[0]);
            String out = Processes.read(tmp.resolve("twice.out"));
            assertEquals(130, p.exitValue(), out + Processes.read(tmp.resolve("twice.err")));
            assertTrue(millis < WRITE_PAUSE_MILLIS / 2,
                    "the second SIGINT must stop at once, not after the " + WRITE_PAUSE_MILLIS + " ms write: " + millis + " ms");
            assertFalse(out.contains("Stopped (SIGINT)"), "the first SIGINT's checkpoint cannot have completed:\n" + out);
            assertTrue(Files.exists(temp), "the second SIGINT landed inside the checkpoint write, leaving its temp file: " + temp);
            assertEquals(work.resolve("epoch_1.safetensors"), WorkDirs.assertIntact(work));
            resumeAndCompare("twice", work, "Removed 1 unfinished checkpoint file", false);
        } finally {
            p.destroyForcibly(); // when the test failed midway; it would go on writing into the shared temp dir
        }
    }
}
