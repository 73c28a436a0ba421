package dev.stride.runner.api.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFilesTest {
    @TempDir
    Path dir;

    private static Checkpoint ck(int epoch) {
        Checkpoint ck = new Checkpoint();
        ck.putMetadata("stride.format", "stride-checkpoint/1");
        ck.putMetadata("runner.epoch", Integer.toString(epoch));
        ck.putTensor("model.w", Tensor.ofFloats(new long[] {2}, new float[] {epoch, -epoch}));
        return ck;
    }

    /** Writes epoch_N with modification time N minutes after a fixed instant, so "newest" is well defined. */
    private Path write(int epoch) throws IOException {
        Path p = dir.resolve("epoch_" + epoch + ".safetensors");
        CheckpointFiles.write(p, ck(epoch));
        Files.setLastModifiedTime(p, FileTime.fromMillis(1_700_000_000_000L + epoch * 60_000L));
        return p;
    }

    private static void truncate(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(b, b.length / 2));
    }

    @Test
    void writeCreatesMissingFolders() {
        Path p = dir.resolve("a/b/epoch_1.safetensors");
        CheckpointFiles.write(p, ck(1));
        assertEquals("1", CheckpointFiles.read(p).metadata().get("runner.epoch"));
    }

    @Test
    void markLatestWritesTheNameOfAFileInTheWorkDir() throws IOException {
        Path p = write(3);
        CheckpointFiles.markLatest(dir, p);
        assertEquals("epoch_3.safetensors\n", Files.readString(dir.resolve(CheckpointFiles.LATEST)));
        assertEquals(Optional.of(dir.resolve("epoch_3.safetensors")), CheckpointFiles.latest(dir));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("epoch_3.safetensors", "last_checkpoint"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no temp file is left");
        }
    }

    @Test
    void markLatestWritesAnAbsolutePathForAFileElsewhere(@TempDir Path other) throws IOException {
        Path p = other.resolve("best.safetensors");
        CheckpointFiles.write(p, ck(1));
        CheckpointFiles.markLatest(dir, p);
        assertEquals(p.toAbsolutePath().normalize() + "\n", Files.readString(dir.resolve(CheckpointFiles.LATEST)));
        assertEquals(Optional.of(p.toAbsolutePath().normalize()), CheckpointFiles.latest(dir));
    }

    @Test
    void latestIsEmptyWithoutAPointerOrWithAnEmptyOne() throws IOException {
        assertEquals(Optional.empty(), CheckpointFiles.latest(dir));
        Files.writeString(dir.resolve(CheckpointFiles.LATEST), "  \n");
        assertEquals(Optional.empty(), CheckpointFiles.latest(dir));
    }

    @Test
    void findResumablePrefersThePointer() throws IOException {
        Path one = write(1);
        write(2);
        CheckpointFiles.markLatest(dir, one);
        List<String> skipped = new ArrayList<>();
        assertEquals(Optional.of(one), CheckpointFiles.findResumable(dir, skipped::add));
        assertEquals(List.of(), skipped);
    }

    @Test
    void findResumableFallsBackToTheNewestValidFileWhenThePointerNamesACorruptOne() throws IOException {
        write(1);
        Path two = write(2);
        Path three = write(3);
        CheckpointFiles.markLatest(dir, three);
        truncate(three);
        Files.setLastModifiedTime(three, FileTime.fromMillis(1_700_000_000_000L + 10 * 60_000L));
        List<String> skipped = new ArrayList<>();
        assertEquals(Optional.of(two), CheckpointFiles.findResumable(dir, skipped::add));
        assertEquals(1, skipped.size(), skipped.toString());
        assertTrue(skipped.get(0).contains(three.toString()), skipped.get(0));
        assertTrue(skipped.get(0).contains("truncated"), skipped.get(0));
    }

    @Test
    void findResumableSkipsEveryCorruptFileAndReportsEach() throws IOException {
        Path one = write(1);
        Path two = write(2);
        Path three = write(3);
        truncate(two);
        Files.write(three, new byte[0]);
        Files.setLastModifiedTime(three, FileTime.fromMillis(1_700_000_000_000L + 3 * 60_000L));
        Files.setLastModifiedTime(two, FileTime.fromMillis(1_700_000_000_000L + 2 * 60_000L));
        Files.writeString(dir.resolve("epoch_4.safetensors.tmp-123456789abc"), "partial write of a killed process");
        List<String> skipped = new ArrayList<>();
        assertEquals(Optional.of(one), CheckpointFiles.findResumable(dir, skipped::add));
        assertEquals(2, skipped.size(), skipped.toString());
        assertTrue(skipped.get(0).contains(three.toString()), "newest first: " + skipped);
        assertTrue(skipped.get(1).contains(two.toString()), skipped.toString());
    }

    @Test
    void findResumableReportsAPointerToAMissingFile() throws IOException {
        Path one = write(1);
        Files.writeString(dir.resolve(CheckpointFiles.LATEST), "epoch_9.safetensors\n");
        List<String> skipped = new ArrayList<>();
        assertEquals(Optional.of(one), CheckpointFiles.findResumable(dir, skipped::add));
        assertEquals(1, skipped.size(), skipped.toString());
        assertTrue(skipped.get(0).contains("epoch_9.safetensors") && skipped.get(0).contains("does not exist"), skipped.get(0));
    }

    @Test
    void findResumableReportsAnEmptyPointer() throws IOException {
        Path one = write(1);
        Files.writeString(dir.resolve(CheckpointFiles.LATEST), "");
        List<String> skipped = new ArrayList<>();
        assertEquals(Optional.of(one), CheckpointFiles.findResumable(dir, skipped::add));
        assertEquals(1, skipped.size(), skipped.toString());
        assertTrue(skipped.get(0).contains("last_checkpoint") && skipped.get(0).contains("empty"), skipped.get(0));
    }

    @Test
    void findResumableFindsNothingInAnEmptyOrMissingFolder() {
        List<String> skipped = new ArrayList<>();
        assertEquals(Optional.empty(), CheckpointFiles.findResumable(dir, skipped::add));
        assertEquals(Optional.empty(), CheckpointFiles.findResumable(dir.resolve("nope"), skipped::add));
        assertEquals(List.of(), skipped);
    }

    @Test
    void checkpointsNewestFirstOrdersByTimeThenName() throws IOException {
        Path one = write(1);
        Path two = write(2);
        Path three = write(3);
        FileTime same = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(one, same);
        Files.setLastModifiedTime(two, same);
        Files.writeString(dir.resolve("notes.txt"), "x");
        assertEquals(List.of(three, two, one), CheckpointFiles.checkpointsNewestFirst(dir));
    }

    // ---- issue 15: relative pointers, checkpoint folders, ranking by position

    /** A checkpoint at train iteration {@code iter}, with optimizer state or without. */
    private static Checkpoint at(long iter, boolean optimizer) {
        Checkpoint ck = ck((int) iter);
        ck.putMetadata("runner.iter", Long.toString(iter));
        if (optimizer) {
            ck.putTensor("optimizer.w.momentum", Tensor.ofFloats(new long[] {2}, new float[] {1, 2}));
        }
        return ck;
    }

    private Path write(String name, Checkpoint ck, int minute) throws IOException {
        Path p = dir.resolve(name);
        CheckpointFiles.write(p, ck);
        Files.setLastModifiedTime(p, FileTime.fromMillis(1_700_000_000_000L + minute * 60_000L));
        return p;
    }

    @Test
    void thePointerToAFileInACheckpointFolderIsRelativeToTheWorkDir() throws IOException {
        Path p = write("ckpts/epoch_2.safetensors", at(20, true), 2);
        CheckpointFiles.markLatest(dir, p);
        assertEquals("ckpts/epoch_2.safetensors\n", Files.readString(dir.resolve(CheckpointFiles.LATEST)));
        assertEquals(Optional.of(dir.resolve("ckpts/epoch_2.safetensors")), CheckpointFiles.latest(dir));
    }

    @Test
    void theSearchLooksIntoTheCheckpointFoldersAndFallsBackPastADamagedFile() throws IOException {
        Path one = write("ckpts/epoch_1.safetensors", at(10, true), 1);
        Path two = write("ckpts/epoch_2.safetensors", at(20, true), 2);
        CheckpointFiles.markLatest(dir, two);
        byte[] b = Files.readAllBytes(two);
        b[b.length - 3] ^= 1;
        Files.write(two, b);
        List<String> skipped = new ArrayList<>();
        assertEquals(Optional.empty(), CheckpointFiles.findResumable(dir, skipped::add), "the work dir alone has none");
        skipped.clear();
        assertEquals(Optional.of(one), CheckpointFiles.findResumable(dir, List.of(Path.of("ckpts")), skipped::add));
        assertEquals(1, skipped.size(), skipped.toString());
        assertTrue(skipped.get(0).contains("checksum"), skipped.get(0));
    }

    @Test
    void theFurthestPositionWinsThenOptimizerStateThenThePointerThenTheNewest() throws IOException {
        Path early = write("iter_30.safetensors", at(30, true), 9);
        Path far = write("epoch_4.safetensors", at(40, false), 1);
        List<String> skipped = new ArrayList<>();
        assertEquals(Optional.of(far), CheckpointFiles.findResumable(dir, skipped::add), "furthest, though older");
        Path farWithState = write("best_acc_epoch_4.safetensors", at(40, true), 0);
        assertEquals(Optional.of(farWithState), CheckpointFiles.findResumable(dir, skipped::add), "with optimizer state");
        Path twin = write("epoch_4b.safetensors", at(40, true), 0);
        CheckpointFiles.markLatest(dir, twin);
        assertEquals(Optional.of(twin), CheckpointFiles.findResumable(dir, skipped::add), "the pointer breaks the tie");
        assertEquals(List.of(), skipped);
        assertTrue(Files.exists(early));
    }

    @Test
    void aCopiedWorkDirResumesItsOwnFiles(@TempDir Path copy) throws IOException {
        Path one = write("ckpts/epoch_1.safetensors", at(10, true), 1);
        CheckpointFiles.markLatest(dir, one);
        Files.createDirectories(copy.resolve("ckpts"));
        Files.copy(one, copy.resolve("ckpts/epoch_1.safetensors"));
        Files.copy(dir.resolve(CheckpointFiles.LATEST), copy.resolve(CheckpointFiles.LATEST));
        Files.delete(one);
        List<String> skipped = new ArrayList<>();
        assertEquals(Optional.of(copy.resolve("ckpts/epoch_1.safetensors")),
                CheckpointFiles.findResumable(copy, List.of(Path.of("ckpts")), skipped::add));
        assertEquals(List.of(), skipped);
    }

    @Test
    void anOldAbsolutePointerIntoAnotherFolderLosesTiesToTheWorkDirsOwnFiles(@TempDir Path original) throws IOException {
        Path theirs = original.resolve("epoch_1.safetensors");
        CheckpointFiles.write(theirs, at(10, true));
        Path ours = write("epoch_1.safetensors", at(10, true), 1);
        Files.writeString(dir.resolve(CheckpointFiles.LATEST), theirs + "\n");
        assertEquals(Optional.of(ours), CheckpointFiles.findResumable(dir, s -> { }));
    }

    @Test
    void theMetadataIsReadFromTheHeaderAlone() throws IOException {
        Path p = write("epoch_1.safetensors", at(10, true), 1);
        byte[] b = Files.readAllBytes(p);
        b[b.length - 1] ^= 1; // damaged data: the header still reads
        Files.write(p, b);
        assertEquals("10", CheckpointFiles.readMetadata(p).get("runner.iter"));
    }
}
