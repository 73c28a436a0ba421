package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.app.it.StrideCli;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 1: {@code --resume auto} with a checkpoint {@code out-dir}, copied work dirs, and
 * runs from scratch that would have overwritten good checkpoints. Real {@code stride} processes on
 * a synthetic job of 10 steps per epoch.
 */
class CheckpointFoldersIT {
    private static final String HOOKS = "{ type = checkpoint, interval = 1, out-dir = \"ckpts\" }";

    @TempDir
    Path tmp;

    private Path config(Path work, int epochs) throws IOException {
        return Jobs.write(tmp, "job-" + work.getFileName() + ".conf", Jobs.synthetic(work, epochs, HOOKS));
    }

    private StrideCli.Result stride(String... args) throws Exception {
        StrideCli.Result r = StrideCli.run(tmp, args);
        assertFalse(r.all().contains("\tat "), "no stack trace:\n" + r.all());
        return r;
    }

    private static void flipAByte(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[b.length - 10] ^= 1; // inside the tensors: the header still reads, the checksum does not match
        Files.write(file, b);
    }

    /** The command, verbatim: train 2 epochs, flip a byte in ckpts/epoch_2, --resume auto with max-epochs 3. */
    @Test
    void resumeAutoFindsTheNewestValidCheckpointInTheOutDirAndOverwritesNothing() throws Exception {
        Path work = tmp.resolve("work");
        Path cfg = config(work, 2);
        assertEquals(0, stride("train", cfg.toString()).exit());
        Path ckpts = work.resolve("ckpts");
        assertEquals("ckpts/epoch_2.safetensors", Files.readString(work.resolve(CheckpointFiles.LATEST)).trim(),
                "the pointer is relative to the work dir");
        byte[] epoch1 = Files.readAllBytes(ckpts.resolve("epoch_1.safetensors"));
        flipAByte(ckpts.resolve("epoch_2.safetensors"));

        StrideCli.Result r = stride("train", cfg.toString(), "--resume", "auto", "--set", "runner.max-epochs=3");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("Skipped for resume: checkpoint " + ckpts.resolve("epoch_2.safetensors")), r.out());
        assertTrue(r.out().contains("Resumed from " + ckpts.resolve("epoch_1.safetensors") + ": epoch 1, iter 10"), r.out());
        assertFalse(r.out().contains("starting from scratch"), r.out());
        assertArrayEquals(epoch1, Files.readAllBytes(ckpts.resolve("epoch_1.safetensors")), "the good epoch_1 is untouched");
        for (String n : List.of("epoch_1", "epoch_2", "epoch_3")) {
            CheckpointFiles.read(ckpts.resolve(n + ".safetensors"));
        }

        Path straight = tmp.resolve("straight");
        assertEquals(0, stride("train", config(straight, 3).toString()).exit());
        assertEquals(List.of(), WorkDirs.differences(ckpts.resolve("epoch_3.safetensors"),
                straight.resolve("ckpts/epoch_3.safetensors")), "the resumed run ends bit for bit as a straight one");
    }

    /**
     * A copy of a work dir resumes its own files, also once the original is gone; the damaged
     * original resumes from its newest valid checkpoint; both then end equal.
     */
    @Test
    void aCopiedWorkDirResumesItsOwnFilesAndTheDamagedOriginalItsNewestValidOne() throws Exception {
        Path work = tmp.resolve("original");
        Path cfg = config(work, 3);
        assertEquals(0, stride("train", cfg.toString()).exit());
        Path copy = tmp.resolve("copy");
        copyTree(work, copy);
        flipAByte(work.resolve("ckpts/epoch_3.safetensors"));

        StrideCli.Result original = stride("train", cfg.toString(), "--resume", "auto", "--set", "runner.max-epochs=4");
        assertEquals(0, original.exit(), original.all());
        assertTrue(original.out().contains("Resumed from " + work.resolve("ckpts/epoch_2.safetensors")), original.out());
        Path originalEnd = tmp.resolve("original-epoch_4.safetensors");
        Files.copy(work.resolve("ckpts/epoch_4.safetensors"), originalEnd);
        deleteTree(work);

        StrideCli.Result copied = stride("train", cfg.toString(), "--work-dir", copy.toString(), "--resume", "auto",
                "--set", "runner.max-epochs=4");
        assertEquals(0, copied.exit(), copied.all());
        assertTrue(copied.out().contains("Resumed from " + copy.resolve("ckpts/epoch_3.safetensors") + ": epoch 3"),
                copied.out());
        assertFalse(copied.out().contains("Skipped for resume"), copied.out());
        assertEquals(List.of(), WorkDirs.differences(originalEnd, copy.resolve("ckpts/epoch_4.safetensors")),
                "the copy (from epoch 3) and the original (from epoch 2) end equal");
    }

    /** A run from scratch, and --resume auto that finds nothing valid, move earlier checkpoints aside; nothing is lost. */
    @Test
    void aRunFromScratchSetsEarlierCheckpointsAsideInsteadOfOverwritingThem() throws Exception {
        Path work = tmp.resolve("work");
        Path cfg = config(work, 2);
        assertEquals(0, stride("train", cfg.toString()).exit());
        byte[] epoch1 = Files.readAllBytes(work.resolve("ckpts/epoch_1.safetensors"));

        StrideCli.Result again = stride("train", cfg.toString(), "--set", "seed=6");
        assertEquals(0, again.exit(), again.all());
        assertTrue(again.out().contains("Moved 2 checkpoint file(s) of an earlier run with its last_checkpoint and config.conf to "), again.out());
        assertTrue(again.out().contains("--resume auto would have continued"), again.out());
        List<Path> earlier = folders(work.resolve("earlier"));
        assertEquals(1, earlier.size(), earlier.toString());
        assertArrayEquals(epoch1, Files.readAllBytes(earlier.get(0).resolve("ckpts/epoch_1.safetensors")));
        assertEquals("ckpts/epoch_2.safetensors", Files.readString(earlier.get(0).resolve(CheckpointFiles.LATEST)).trim(),
                "the moved pointer still names its file, relative to the moved folder");

        flipAByte(work.resolve("ckpts/epoch_1.safetensors"));
        flipAByte(work.resolve("ckpts/epoch_2.safetensors"));
        StrideCli.Result nothingValid = stride("train", cfg.toString(), "--resume", "auto");
        assertEquals(0, nothingValid.exit(), nothingValid.all());
        assertTrue(nothingValid.out().contains("none of them could be resumed"), nothingValid.out());
        assertEquals(2, folders(work.resolve("earlier")).size(), "the damaged files are kept too, for a look");
        CheckpointFiles.read(work.resolve("ckpts/epoch_2.safetensors"));
    }

    private static List<Path> folders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
