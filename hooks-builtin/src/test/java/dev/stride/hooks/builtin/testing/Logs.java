package dev.stride.hooks.builtin.testing;

import dev.stride.runner.api.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads what the loggers wrote into a work dir. */
public final class Logs {
    private Logs() {}

    private static final Pattern STAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d INFO ");

    /**
     * The lines of the text log ({@code <timestamp>.log}) without their time stamps; every line
     * must carry one, as the console's lines do ({@code 2026-12-05 04:15:20 INFO }).
     */
    public static List<String> text(Path workDir) {
        return lines(only(workDir, ".log")).stream().map(l -> {
            Matcher m = STAMP.matcher(l);
            if (!m.lookingAt()) {
                throw new AssertionError("a line of the text log without a time stamp: " + l);
            }
            return l.substring(m.end());
        }).toList();
    }

    /**
     * The records of the JSON log ({@code <timestamp>.log.json}), in order, after its first line,
     * which must describe the run as MMCV's {@code runner.meta} does (no {@code epoch}, so MMCV's
     * log tools skip it): see {@link #meta}.
     */
    public static List<Map<String, Object>> json(Path workDir) {
        List<Map<String, Object>> all = parse(lines(only(workDir, ".log.json")));
        Map<String, Object> meta = all.get(0);
        if (meta.containsKey("epoch") || !meta.keySet().containsAll(List.of("env_info", "config", "seed", "exp_name"))) {
            throw new AssertionError("the first line of the JSON log is not the run's description: " + meta);
        }
        return all.subList(1, all.size());
    }

    /** The first line of the JSON log: env_info, config, seed, exp_name, stride_version, runner. */
    public static Map<String, Object> meta(Path workDir) {
        return parse(lines(only(workDir, ".log.json"))).get(0);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parse(List<String> lines) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : lines) {
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
