package dev.stride.hooks.builtin.testing;

import dev.stride.runner.api.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads what the loggers wrote into a work dir. */
public final class Logs {
    private Logs() {}

    /** The lines of the text log ({@code <timestamp>.log}). */
    public static List<String> text(Path workDir) {
        return lines(only(workDir, ".log"));
    }

    /** The records of the JSON log ({@code <timestamp>.log.json}), in order. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> json(Path workDir) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : lines(only(workDir, ".log.json"))) {
            try {
                out.add((Map<String, Object>) Json.parse(line));
            } catch (Json.SyntaxException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }
        return out;
    }

    private static Path only(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one *" + suffix + " in " + dir + ", found " + found);
            }
            return found.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
