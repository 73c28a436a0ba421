package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data loader that throws mid-epoch (batch 3 of the second epoch), with and without a prefetch
 * thread: the error names the file and record the loader reports, the checkpoint of the first
 * epoch stays valid and last_checkpoint names it. A {@code BadInputException} (bad data: the
 * user's to fix) ends with exit 2 and no stack trace; any other exception (a loader bug) with
 * exit 1; both say how to resume.
 */
class DataLoaderFailureTest {
    @TempDir
    Path tmp;

    private InProcess.Result train(String failure, int prefetch) throws Exception {
        Path work = tmp.resolve("work");
        String data = "type = failing-synthetic, fail-epoch = 1, fail-batch = 3, failure = " + failure + ", prefetch = " + prefetch;
        Path cfg = Jobs.write(tmp, "job.conf", Jobs.job(work, data, ""));
        InProcess.Result r = InProcess.stride("train", cfg.toString());
        assertTrue(r.err().contains("data file " + FailingDataProvider.FILE + ": record 17 is corrupt"),
                "names the file and the record:\n" + r.err());
        assertTrue(r.out().contains("Training stopped at epoch 1, iter 13"), "says where training stopped:\n" + r.out());
        assertTrue(r.out().contains("--resume auto"), "says how to resume:\n" + r.out());
        Path latest = WorkDirs.assertIntact(work);
        assertEquals(work.resolve("epoch_1.safetensors"), latest);
        return r;
    }

    @ParameterizedTest(name = "prefetch {0}")
    @ValueSource(ints = {0, 2})
    void corruptDataIsTheUsersErrorExit2WithoutStackTrace(int prefetch) throws Exception {
        InProcess.Result r = train("bad-input", prefetch);
        assertEquals(2, r.exit(), r.all());
        assertFalse(r.all().contains("\tat "), "no stack trace for bad data:\n" + r.all());
    }

    @ParameterizedTest(name = "prefetch {0}")
    @ValueSource(ints = {0, 2})
    void aLoaderBugIsExit1WithTheResumeHint(int prefetch) throws Exception {
        InProcess.Result r = train("bug", prefetch);
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.err().contains("IllegalStateException: decoder failed"), r.err());
    }
}
