package dev.stride.engine.djl.model;

import ai.djl.util.Utils;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The small native libraries engine-djl ships in its jar (src/main/native, built into
 * src/main/resources): copied into DJL's cache directory, where libtorch itself is unpacked, and
 * opened from there with JNA.
 */
final class NativeFiles {
    private NativeFiles() {}

    /**
     * Opens the library at {@code resource} in this jar, copied into DJL's cache directory (or the
     * temporary directory when that is read-only) under {@code prefix} and its content's CRC-32.
     *
     * @throws RuntimeException or LinkageError when it cannot be written or loaded
     */
    static NativeLibrary open(String resource, String prefix, Map<String, ?> options) {
        byte[] bytes;
        try (InputStream in = NativeFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from engine-djl's jar");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path file;
        try {
            file = place(Utils.getEngineCacheDir(), bytes, prefix);
        } catch (UncheckedIOException e) { // a read-only cache: the temporary directory, if it lets libraries load
            file = place(Path.of(System.getProperty("java.io.tmpdir")), bytes, prefix);
        }
        return NativeLibrary.getInstance(file.toString(), options);
    }

    /**
     * The library's file in {@code dir}, named {@code prefix} and its content's CRC-32 (no security
     * provider to start: a SHA-256 cost 2 ms of start-up); written (atomically) only when absent or of
     * another size.
     */
    static Path place(Path dir, byte[] bytes, String prefix) {
        try {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            String name = prefix + String.format("%08x", crc.getValue()) + ".so";
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file) || Files.size(file) != bytes.length) {
                Files.createDirectories(dir);
                Path part = Files.createTempFile(dir, name, ".part");
                try {
                    Files.write(part, bytes);
                    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(part);
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write it to " + dir + ": " + e.getMessage(), e);
        }
    }
}
