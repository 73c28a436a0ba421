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
}
