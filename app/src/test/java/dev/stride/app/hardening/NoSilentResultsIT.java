package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.app.it.StrideCli;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, items 6 to 8: runs that used to end "completed" with a wrong result. A loader without
 * batches is a config error; a resume with settings that break an exact continuation is refused
 * unless asked for; a NaN loss stops the run by default. Real {@code stride} processes.
 */
class NoSilentResultsIT {
    @TempDir
    Path tmp;

    private static void assertUserError(StrideCli.Result r, String... fragments) {
        assertEquals(2, r.exit(), r.all());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' missing in:\n" + r.err());
        }
        assertFalse(r.all().contains("\tat "), "no stack trace:\n" + r.all());
    }

    @Test
    void dropLastWithABatchLargerThanTheDataIsAConfigError() throws Exception {
        Path work = tmp.resolve("work");
        Path cfg = Jobs.write(tmp, "job.conf", Jobs.synthetic(work, 2, "{ type = checkpoint, interval = 1 }"));
        StrideCli.Result r = StrideCli.run(tmp, "train", cfg.toString(), "--set", "data.train.drop-last=true",
                "--set", "data.train.batch-size=500");
        assertUserError(r, "data.train: 160 samples in batches of 500 with drop-last = true give no batch per epoch",
                "use a batch-size of at most 160, or drop-last = false");
        assertFalse(Files.exists(work), "no untrained checkpoints, nothing written");
    }

    @Test
    void aResumeThatCannotContinueExactlyIsRefusedUnlessAskedFor() throws Exception {
        Path work = tmp.resolve("work");
        Path cfg = Jobs.write(tmp, "job.conf", Jobs.synthetic(work, 1, "{ type = checkpoint, interval = 1 }")
                .replace("seed = 5", "seed = 1"));
        assertEquals(0, StrideCli.run(tmp, "train", cfg.toString()).exit());
        Path epoch1 = work.resolve("epoch_1.safetensors");

        // the command: --resume FILE --seed 7 on a run with seed 1
        StrideCli.Result seed = StrideCli.run(tmp, "train", cfg.toString(), "--resume", epoch1.toString(), "--seed", "7",
                "--set", "runner.max-epochs=2");
        assertUserError(seed, "the checkpoint " + epoch1 + " was written with other settings than this run has",
                "seed: 1 in the checkpoint, 7 now", "--resume-with-changes");
        assertFalse(Files.exists(work.resolve("epoch_2.safetensors")), "nothing trained");

        StrideCli.Result data = StrideCli.run(tmp, "train", cfg.toString(), "--resume", "auto", "--set", "runner.max-epochs=2",
                "--set", "data.train.shuffle=false", "--set", "data.train.batch-size=32", "--set", "data.train.size=320",
                "--set", "data.train.prefetch=0", "--set", "workflow=[[train, 1], [val, 1]]");
        assertUserError(data, "data.train.batch-size: 16 in the checkpoint, 32 now", "data.train.shuffle: true in the checkpoint,"
                + " false now", "data.train.size: 160 in the checkpoint, 320 now", "workflow: [[\"train\",1]] in the checkpoint,");
        assertFalse(data.err().contains("prefetch"), "prefetch changes nothing but speed:\n" + data.err());

        StrideCli.Result anyway = StrideCli.run(tmp, "train", cfg.toString(), "--resume", epoch1.toString(), "--seed", "7",
                "--set", "runner.max-epochs=2", "--resume-with-changes");
        assertEquals(0, anyway.exit(), anyway.all());
        assertTrue(anyway.out().contains("with changed settings (--resume-with-changes), so this run is no exact continuation:"
                + " seed: 1 in the checkpoint, 7 now"), anyway.out());

        // what does not matter for an exact continuation (max-epochs) resumes without a word
        StrideCli.Result longer = StrideCli.run(tmp, "train", cfg.toString(), "--resume", "auto", "--seed", "7",
                "--set", "runner.max-epochs=3");
        assertEquals(0, longer.exit(), longer.all());
        assertFalse(longer.out().contains("changed settings"), longer.out());
    }

    @Test
    void aNanLossStopsTheRunByDefault() throws Exception {
        Path work = tmp.resolve("work");
        Path cfg = Jobs.write(tmp, "job.conf", Jobs.synthetic(work, 5, "{ type = checkpoint, interval = 1 }")
                .replace("lr = 0.1", "lr = 100000"));
        StrideCli.Result r = StrideCli.run(tmp, "train", cfg.toString());
        assertUserError(r, "The loss is ", "training stopped", "lower the learning rate");
        assertTrue(r.out().contains("Training stopped at epoch"), r.out());
        assertFalse(r.out().contains("Done: completed"), r.out());
        if (Files.exists(work.resolve(CheckpointFiles.LATEST))) {
            WorkDirs.assertIntact(work);
        }
    }
}
