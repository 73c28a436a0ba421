package dev.stride.hooks.builtin.logging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A log file written one complete line at a time. A line that cannot be written whole (a full
 * disk) is cut off again, so the file only ever holds complete lines.
 */
final class LogFile implements AutoCloseable {
    private final Path path;
    private final FileChannel out;

    LogFile(Path path) {
        this.path = path;
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            this.out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log file " + path + ": " + e.getMessage(), e);
        }
    }

    void line(String text) {
        ByteBuffer bytes = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        long before = -1;
        try {
            before = out.size();
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            if (before >= 0) {
                try {
                    out.truncate(before);
                } catch (IOException ignored) {
                    // the write error is the one to report
                }
            }
            String why = e.getMessage() != null && e.getMessage().contains("No space") ? "the disk is full" : e.getMessage();
            throw new UncheckedIOException("cannot write to the log file " + path + ": " + why, e);
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the log file " + path + ": " + e.getMessage(), e);
        }
    }
}
