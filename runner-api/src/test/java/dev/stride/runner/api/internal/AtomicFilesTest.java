package dev.stride.runner.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writeCreatesAndReplacesLeavingNoTempFile() throws IOException {
        Path target = dir.resolve("last_checkpoint");
        AtomicFiles.write(target, ByteBuffer.wrap("one\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("one\n", Files.readString(target));
        AtomicFiles.write(target, ByteBuffer.wrap("tw".getBytes(StandardCharsets.UTF_8)),
                ByteBuffer.wrap("o".getBytes(StandardCharsets.UTF_8)));
        assertEquals("two", Files.readString(target), "buffers are written one after the other");
        assertEquals(List.of("last_checkpoint"), names());
    }

    @Test
    void buffersAreNotConsumed() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {1, 2, 3});
        AtomicFiles.write(dir.resolve("a"), b);
        AtomicFiles.write(dir.resolve("b"), b);
        assertEquals(3, b.remaining());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("b")));
    }

    @Test
    void aReaderSeesTheOldOrTheNewFileWholeNeverAMix() throws Exception {
        Path target = dir.resolve("big.bin");
        byte[] a = new byte[256 * 1024];
        byte[] b = new byte[64 * 1024];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        AtomicFiles.write(target, ByteBuffer.wrap(a));
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> problem = new AtomicReference<>();
        int[] reads = {0};
        Thread reader = new Thread(() -> {
            while (!done.get() && problem.get() == null) {
                try {
                    byte[] got = Files.readAllBytes(target);
                    reads[0]++;
                    if (!Arrays.equals(got, a) && !Arrays.equals(got, b)) {
                        problem.set("read " + got.length + " bytes that are neither version");
                    }
                } catch (NoSuchFileException e) {
                    problem.set("the file vanished during a replace");
                } catch (IOException e) {
                    problem.set(e.toString());
                }
            }
        });
        reader.start();
        try {
            for (int i = 0; i < 60 && problem.get() == null; i++) {
                AtomicFiles.write(target, ByteBuffer.wrap(i % 2 == 0 ? b : a));
            }
        } finally {
            done.set(true);
            reader.join();
        }
        assertEquals(null, problem.get());
        assertTrue(reads[0] > 0);
        assertEquals(List.of("big.bin"), names());
    }

    @Test
    void aFailedWriteLeavesTheTargetAndNoTempFile() throws IOException {
        Path target = Files.createDirectory(dir.resolve("epoch_1.safetensors"));
        Files.writeString(target.resolve("keep"), "x");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> AtomicFiles.write(target, ByteBuffer.wrap(new byte[] {1})));
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("earlier files are untouched"), e.getMessage());
        assertEquals(List.of("epoch_1.safetensors"), names());
        assertEquals("x", Files.readString(target.resolve("keep")));
    }

    @Test
    void writingIntoAMissingFolderFails() {
        Path target = dir.resolve("missing/last_checkpoint");
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(target, ByteBuffer.wrap(new byte[] {1})));
    }

    @Test
    void removeLeftoversDeletesTempFilesOnly() throws IOException {
        Files.writeString(dir.resolve("epoch_2.safetensors.tmp-0a1b2c3d4e5f"), "partial");
        Files.writeString(dir.resolve("last_checkpoint.tmp-ffffffffffff"), "partial");
        Files.writeString(dir.resolve("epoch_1.safetensors"), "whole");
        Files.writeString(dir.resolve("last_checkpoint"), "epoch_1.safetensors\n");
        Files.writeString(dir.resolve("notes.tmp"), "not ours");
        assertEquals(2, AtomicFiles.removeLeftovers(dir));
        assertEquals(List.of("epoch_1.safetensors", "last_checkpoint", "notes.tmp"), names());
        assertEquals(0, AtomicFiles.removeLeftovers(dir));
        assertEquals(0, AtomicFiles.removeLeftovers(dir.resolve("no-such-folder")));
    }

    @Test
    void tempFilesAreNamedWithTheMarker() throws Exception {
        Path target = dir.resolve("slow.bin");
        Thread writer = new Thread(() -> AtomicFiles.write(target, 400, ByteBuffer.wrap(new byte[] {1}),
                ByteBuffer.wrap(new byte[] {2})));
        writer.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> seen = List.of();
        while (System.nanoTime() < deadline && seen.isEmpty()) {
            seen = names().stream().filter(n -> n.contains(AtomicFiles.TEMP_MARK)).toList();
            Thread.sleep(5);
        }
        assertEquals(1, seen.size(), "a temp file exists while writing");
        assertTrue(seen.get(0).matches("slow\\.bin\\.tmp-[0-9a-f]{12}"), seen.get(0));
        assertTrue(Files.notExists(target), "the target appears only when complete");
        writer.join();
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(target));
        assertEquals(List.of("slow.bin"), names());
    }
}
