package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A hook that throws (a plugin bug): the error names the hook, its stage, epoch and iteration;
 * the run stops with exit 1; the checkpoints written before stay intact (equal to an
 * uninterrupted run's) and last_checkpoint names a good one; the output says how to resume, and
 * resuming that way ends equal to the uninterrupted run. In-process, with the test-only
 * {@code failing} hook.
 */
class HookFailureTest {
    @TempDir
    Path tmp;

    private static String failing(String stage, int epoch, long iter) {
        return "{ type = failing, stage = " + stage + ", epoch = " + epoch + ", iter = " + iter + " }";
    }

    private Path train(String name, String hook, int expectedExit) throws Exception {
        Path work = tmp.resolve(name);
        Path cfg = Jobs.write(tmp, name + ".conf", Jobs.job(work, "type = synthetic", hook));
        InProcess.Result r = InProcess.stride("train", cfg.toString());
        assertEquals(expectedExit, r.exit(), r.all());
        return work;
    }

    /** The checkpoint hook runs before the failing one (same priority, listed first): in afterTrainEpoch it saved already. */
    @ParameterizedTest(name = "{0} at epoch {1}")
    @CsvSource({"afterTrainIter, 2, 13, 13, 1", "beforeTrainIter, 2, 17, 17, 1", "beforeTrainEpoch, 2, 0, 10, 1",
        "afterTrainEpoch, 2, 0, 20, 2"})
    void theErrorNamesTheHookStageEpochAndIterationAndExitIs1(String stage, int epoch, long iter, long reportedIter,
            int latestEpoch) throws Exception {
        Path work = tmp.resolve("work");
        Path cfg = Jobs.write(tmp, "job.conf", Jobs.job(work, "type = synthetic", failing(stage, epoch, iter)));
        InProcess.Result r = InProcess.stride("train", cfg.toString());
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.err().contains("hook 'failing' (" + FailingHookProvider.FailingHook.class.getName() + ") failed in "
                + stage + " at epoch " + epoch + ", iter " + reportedIter), r.err());
        assertTrue(r.err().contains("the failing hook's planted bug"), "the hook's own message: " + r.err());
        assertTrue(r.err().contains("--resume auto") && r.out().contains("--resume auto"), "says how to resume:\n" + r.all());
        Path latest = WorkDirs.assertIntact(work);
        assertEquals("epoch_" + latestEpoch + ".safetensors", latest.getFileName().toString());
    }

    @Test
    void earlierCheckpointsStayIntactAndResumingEndsLikeAnUninterruptedRun() throws Exception {
        Path straight = train("straight", failing("afterTrainIter", 0, 0), 0);
        Path work = train("failed", failing("afterTrainIter", 2, 13), 1);

        assertEquals(List.of(work.resolve("epoch_1.safetensors")), WorkDirs.checkpoints(work));
        Path latest = WorkDirs.assertIntact(work);
        assertEquals(List.of(), WorkDirs.differences(straight.resolve("epoch_1.safetensors"), latest),
                "the checkpoint written before the failure is the uninterrupted run's");

        Path fixed = Jobs.write(tmp, "fixed.conf", Jobs.job(work, "type = synthetic", failing("afterTrainIter", 0, 0)));
        InProcess.Result resumed = InProcess.stride("train", fixed.toString(), "--resume", "auto");
        assertEquals(0, resumed.exit(), resumed.all());
        assertTrue(resumed.out().contains("Resumed from " + work.resolve("epoch_1.safetensors")), resumed.out());
        assertEquals(List.of(), WorkDirs.differences(straight.resolve("epoch_3.safetensors"), work.resolve("epoch_3.safetensors")));
    }
}
