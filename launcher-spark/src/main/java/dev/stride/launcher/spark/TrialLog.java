package dev.stride.launcher.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code trial.log} in a trial's work dir: one line per event of each attempt (started, resumed
 * from which checkpoint, finished or failed), so that retries can be followed afterwards.
 */
final class TrialLog {
    /** The file name in the trial's work dir. */
    static final String FILE = "trial.log";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Path file;
    private final int attempt;

    TrialLog(Path workDir, int attempt) {
        this.file = workDir.resolve(FILE);
        this.attempt = attempt;
    }

    void line(String text) {
        String line = LocalDateTime.now().format(TIME) + " attempt " + (attempt + 1) + ": " + text + "\n";
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
