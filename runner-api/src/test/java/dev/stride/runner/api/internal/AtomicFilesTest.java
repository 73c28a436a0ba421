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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch firstRead = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            while (!done.get() && problem.get() == null) {
                try {
                    byte[] got = Files.readAllBytes(target);
                    reads.incrementAndGet();
                    if (!Arrays.equals(got, a) && !Arrays.equals(got, b)) {
                        problem.set("read " + got.length + " bytes that are neither version");
                    }
                } catch (NoSuchFileException e) {
                    problem.set("the file vanished during a replace");
                } catch (IOException e) {
                    problem.set(e.toString());
                }
                firstRead.countDown();
            }
        });
        reader.start();
        int readsDuringWrites = 0;
        try {
            // the writes start once the reader is reading, and halfway through wait for one more read: it
            // reads while the file is being replaced, however the two threads are scheduled
            assertTrue(firstRead.await(30, TimeUnit.SECONDS), "the reader thread did not read in 30 s");
            int before = reads.get();
            for (int i = 0; i < 60 && problem.get() == null; i++) {
                if (i == 30) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (reads.get() == before && problem.get() == null && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                }
                AtomicFiles.write(target, ByteBuffer.wrap(i % 2 == 0 ? b : a));
            }
            readsDuringWrites = reads.get() - before;
        } finally {
            done.set(true);
            reader.join();
        }
        assertEquals(null, problem.get());
        assertTrue(readsDuringWrites > 0, "the reader read while the file was being replaced");
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
        CountDownLatch looked = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        // the write (pausing 20 ms after its first buffer, as tests of killed writes make it) waits after its
        // bytes and before its sync and rename until the test has looked: the temp file is there to be seen
        Thread writer = new Thread(() -> {
            try {
                AtomicFiles.write(target, 20, ch -> {
                    try {
                        if (!looked.await(30, TimeUnit.SECONDS)) {
                            throw new IOException("the test did not look in 30 s");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                }, ByteBuffer.wrap(new byte[] {1}), ByteBuffer.wrap(new byte[] {2}));
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        writer.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<String> seen = List.of();
            while (System.nanoTime() < deadline && seen.isEmpty()) {
                seen = names().stream().filter(n -> n.contains(AtomicFiles.TEMP_MARK)).toList();
                Thread.sleep(5);
            }
            assertEquals(1, seen.size(), "a temp file exists while writing");
            assertTrue(seen.get(0).matches("slow\\.bin\\.tmp-[0-9a-f]{12}"), seen.get(0));
            assertTrue(Files.notExists(target), "the target appears only when complete");
        } finally {
            looked.countDown();
            writer.join();
        }
        assertEquals(null, failed.get());
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(target));
        assertEquals(List.of("slow.bin"), names());
    }
}
