package dev.stride.runner.api.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.apiguardian.api.API;

/**
 * Crash-safe file replacement: write {@code name.tmp-<random>} in the same folder, fsync it,
 * rename it over {@code name}, fsync the folder. A reader sees the old file or the new one, whole,
 * whatever moment the process dies at; a failed write leaves the old file untouched.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class AtomicFiles {
    /** The marker in temp file names. */
    public static final String TEMP_MARK = ".tmp-";

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    /** Writes {@code buffers} to {@code target} atomically. */
    public static void write(Path target, ByteBuffer... buffers) {
        write(target, 0, buffers);
    }

    /** A last change to the temp file before it is synced, e.g. filling in a checksum. */
    @FunctionalInterface
    public interface Finisher {
        void finish(FileChannel channel) throws IOException;
    }

    /**
     * Like {@link #write(Path, ByteBuffer...)}, sleeping {@code delayMillis} after the first
     * buffer (tests use it to kill the process inside a write).
     */
    public static void write(Path target, long delayMillis, ByteBuffer... buffers) {
        write(target, delayMillis, ch -> { }, buffers);
    }

    /** Writes {@code buffers}, lets {@code finisher} change the temp file, then syncs and renames it. */
    public static void write(Path target, long delayMillis, Finisher finisher, ByteBuffer... buffers) {
        Path dir = target.toAbsolutePath().getParent();
        byte[] r = new byte[6];
        RANDOM.nextBytes(r);
        Path temp = dir.resolve(target.getFileName() + TEMP_MARK + HexFormat.of().formatHex(r));
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (int i = 0; i < buffers.length; i++) {
                    ByteBuffer b = buffers[i].duplicate();
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    if (i == 0 && delayMillis > 0) {
                        sleep(delayMillis);
                    }
                }
                finisher.finish(ch);
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the original failure is what matters
            }
            throw new UncheckedIOException("could not write " + target + ": " + describe(e)
                    + "; earlier files are untouched", e);
        }
    }

    /** Deletes temp files a killed process left in {@code dir}; returns how many. */
    public static int removeLeftovers(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + TEMP_MARK + "*")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
                n++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not clean temp files in " + dir + ": " + describe(e), e);
        }
        return n;
    }

    /** fsync of a folder, so a rename in it survives a power cut. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (m != null && m.contains("No space left")) {
            return "the disk is full";
        }
        return e.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
