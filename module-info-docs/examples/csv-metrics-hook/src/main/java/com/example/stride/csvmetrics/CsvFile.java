package com.example.stride.csvmetrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CSV file rows are appended to. Its columns are those of its header line: the first row's keys
 * when the file is new, else the header already there (a resumed run keeps adding to its file).
 * Each row is written and closed at once, so a killed run leaves only whole rows.
 */
final class CsvFile {
    private static final Logger LOG = LoggerFactory.getLogger(CsvFile.class);

    private final Path file;
    private List<String> columns;
    private boolean warned;

    CsvFile(Path file) {
        this.file = file;
        this.columns = header(file);
    }

    void append(Map<String, Object> row) {
        StringBuilder text = new StringBuilder();
        if (columns == null) {
            columns = new ArrayList<>(row.keySet());
            text.append(String.join(",", columns)).append('\n');
        }
        if (!columns.containsAll(row.keySet()) && !warned) {
            warned = true;
            LOG.warn("{} has the columns {}; values of other metrics are left out", file, columns);
        }
        text.append(columns.stream().map(c -> row.containsKey(c) ? String.valueOf(row.get(c)) : "")
                .collect(Collectors.joining(","))).append('\n');
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /** The columns of an existing file, or null for a new or empty one. */
    private static List<String> header(Path file) {
        try {
            if (!Files.exists(file) || Files.size(file) == 0) {
                return null;
            }
            try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
                return lines.findFirst().map(l -> new ArrayList<>(Arrays.asList(l.split(",")))).orElse(null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
