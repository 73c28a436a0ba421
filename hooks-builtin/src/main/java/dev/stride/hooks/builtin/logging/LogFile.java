package dev.stride.hooks.builtin.logging;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A log file written one complete line at a time, flushed after each line. */
final class LogFile implements AutoCloseable {
    private final Path path;
    private final BufferedWriter out;

    LogFile(Path path) {
        this.path = path;
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            this.out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log file " + path + ": " + e.getMessage(), e);
        }
    }

    void line(String text) {
        try {
            out.write(text);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
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
