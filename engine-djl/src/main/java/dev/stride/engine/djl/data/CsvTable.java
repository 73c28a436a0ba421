package dev.stride.engine.djl.data;

import dev.stride.runner.api.BadInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A CSV file read as text: UTF-8, one record per line (blank lines skipped), fields separated by
 * one character, optionally quoted with {@code "} ({@code ""} inside quotes is a quote), spaces
 * around fields ignored. Every field keeps where it was ({@code file:line:column}) for messages.
 */
final class CsvTable {
    final Path file;
    final List<String> columns;
    final List<String[]> rows = new ArrayList<>();
    /** Per row: its line number (1-based). */
    final List<Integer> lines = new ArrayList<>();
    /** Per row: the 1-based character column where each field starts. */
    final List<int[]> starts = new ArrayList<>();

    private CsvTable(Path file, List<String> columns) {
        this.file = file;
        this.columns = columns;
    }

    /** {@code file:line:column} of field {@code field} of row {@code row}. */
    String where(int row, int field) {
        return file + ":" + lines.get(row) + ":" + starts.get(row)[field];
    }

    /**
     * Reads {@code file}.
     *
     * @param header whether the first record names the columns (else they are named 1, 2, ...)
     * @param maxFields the most fields the whole table may hold
     * @throws BadInputException naming the file and line of any problem
     */
    static CsvTable read(Path file, boolean header, char delimiter, long maxFields) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder), 1 << 16)) {
            CsvTable t = null;
            int width = -1;
            long fields = 0;
            int lineNo = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                List<Integer> at = new ArrayList<>();
                String[] f = split(file, lineNo, line, delimiter, at);
                if (t == null) {
                    List<String> names = new ArrayList<>();
                    if (header) {
                        Set<String> seen = new HashSet<>();
                        for (int i = 0; i < f.length; i++) {
                            if (f[i].isEmpty()) {
                                throw new BadInputException(file + ":" + lineNo + ":" + at.get(i) + ": column " + (i + 1)
                                        + " of the header has no name");
                            }
                            if (!seen.add(f[i])) {
                                throw new BadInputException(file + ":" + lineNo + ":" + at.get(i) + ": the header names column '"
                                        + f[i] + "' twice");
                            }
                            names.add(f[i]);
                        }
                    } else {
                        for (int i = 0; i < f.length; i++) {
                            names.add(Integer.toString(i + 1));
                        }
                    }
                    t = new CsvTable(file, List.copyOf(names));
                    width = f.length;
                    if (header) {
                        continue;
                    }
                }
                if (f.length != width) {
                    throw new BadInputException(file + ":" + lineNo + ": " + f.length + " field" + (f.length == 1 ? "" : "s")
                            + " but the " + (header ? "header has " : "first row has ") + width + " columns " + t.columns
                            + ": every row needs a value for each column" + delimiterHint(line, delimiter, f.length));
                }
                fields += f.length;
                if (fields > maxFields) {
                    throw new BadInputException(file + ": more than " + maxFields + " values; Stride reads CSV files that fit in memory"
                            + " (use the npy data set for large arrays)");
                }
                t.rows.add(f);
                t.lines.add(lineNo);
                t.starts.add(at.stream().mapToInt(Integer::intValue).toArray());
            }
            if (t == null) {
                throw new BadInputException("data file " + file + " is empty");
            }
            return t;
        } catch (NoSuchFileException e) {
            throw new BadInputException("data file " + file + " does not exist (looked for it at " + file.toAbsolutePath() + ")");
        } catch (CharacterCodingException e) {
            throw new BadInputException("data file " + file + " is not UTF-8 text (is it a CSV file?)");
        } catch (java.io.UncheckedIOException e) {
            throw new BadInputException("data file " + file + " cannot be read: " + e.getCause().getMessage());
        } catch (IOException e) {
            if (e.getCause() instanceof CharacterCodingException || e instanceof java.nio.charset.MalformedInputException) {
                throw new BadInputException("data file " + file + " is not UTF-8 text (is it a CSV file?)");
            }
            throw new BadInputException("data file " + file + " cannot be read: " + e.getMessage());
        }
    }

    private static String delimiterHint(String line, char delimiter, int fields) {
        for (char c : new char[] {',', ';', '\t', '|'}) {
            if (c != delimiter && fields == 1 && line.indexOf(c) >= 0) {
                return " (are the fields separated by '" + (c == '\t' ? "\\t" : String.valueOf(c)) + "'? set delimiter)";
            }
        }
        return "";
    }

    /** The fields of one line, trimmed; {@code at} receives the 1-based column where each starts. */
    static String[] split(Path file, int lineNo, String line, char delimiter, List<Integer> at) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && line.charAt(i) == ' ' && delimiter != ' ') {
                i++;
            }
            at.add(i + 1);
            if (i < n && line.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                int open = i;
                i++;
                while (true) {
                    if (i >= n) {
                        throw new BadInputException(file + ":" + lineNo + ":" + (open + 1)
                                + ": a quoted field is not closed on its line (fields may not span lines)");
                    }
                    char c = line.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && line.charAt(i + 1) == '"') {
                            sb.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    sb.append(c);
                    i++;
                }
                while (i < n && line.charAt(i) == ' ' && delimiter != ' ') {
                    i++;
                }
                if (i < n && line.charAt(i) != delimiter) {
                    throw new BadInputException(file + ":" + lineNo + ":" + (i + 1) + ": text after a quoted field");
                }
                out.add(sb.toString());
            } else {
                int start = i;
                while (i < n && line.charAt(i) != delimiter) {
                    i++;
                }
                out.add(line.substring(start, i).trim());
            }
            if (i >= n) {
                break;
            }
            i++; // the delimiter
        }
        return out.toArray(String[]::new);
    }
}
