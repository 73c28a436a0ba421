package dev.stride.launcher.job;

import dev.stride.runner.api.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Looks at a config file and, recursively, every file it includes before HOCON parses any of
 * them. HOCON skips a missing {@code include} in silence, reads a FIFO until it is closed and
 * recurses once per level of nesting; a training config must not: a missing include is an error
 * naming the including file and line, as are a special file (FIFO, device, folder), a file over
 * {@value #MAX_BYTES} bytes, an include cycle, an {@code include url(...)} (no network at run time)
 * and nesting deeper than {@value #MAX_DEPTH} levels. Every relative include is resolved against
 * the folder of the file that includes it, whatever form it takes.
 */
final class IncludeScan {
    /** The largest config file read: 1 MiB. */
    static final long MAX_BYTES = 1024 * 1024;
    /** The deepest nesting of objects and lists accepted in one file. */
    static final int MAX_DEPTH = 64;
    private static final int MAX_CHAIN = 32;
    private static final List<String> EXTENSIONS = List.of(".conf", ".json", ".properties");

    /** An include statement: its line, its form and the name it gives. */
    record Include(int line, String form, String name) {
        String text() {
            return form.equals("heuristic") ? "include \"" + name + "\"" : "include " + form + "(\"" + name + "\")";
        }
    }

    /** What the lexer found in one file. */
    record Scan(List<Include> includes, int tooDeepAt) {}

    private final List<String> problems = new ArrayList<>();
    private final Set<Path> scanned = new HashSet<>();

    private IncludeScan() {}

    /**
     * Checks {@code file} (absolute, normalized) and everything it includes.
     *
     * @param shown the config's path as the user gave it, for messages
     * @throws BadInputException listing every problem found
     */
    static void check(Path file, Path shown) {
        String problem = unusable(file);
        if (problem != null) {
            throw new BadInputException("the config file " + shown + " " + problem);
        }
        IncludeScan scan = new IncludeScan();
        List<Path> chain = new ArrayList<>();
        chain.add(file);
        scan.visit(file, chain);
        if (!scan.problems.isEmpty()) {
            StringBuilder sb = new StringBuilder("The config " + shown + (scan.problems.size() == 1 ? " has a problem:"
                    : " has " + scan.problems.size() + " problems:"));
            scan.problems.forEach(p -> sb.append("\n  - ").append(p));
            throw new BadInputException(sb.toString());
        }
    }

    /** Why a file cannot be a config, or null: it must be a regular, readable file of at most 1 MiB. */
    static String unusable(Path file) {
        if (!Files.exists(file)) {
            return "does not exist (looked at " + file + ")";
        }
        if (!Files.isRegularFile(file)) {
            String what = Files.isDirectory(file) ? "a folder" : "not a regular file (a FIFO, a device or a socket)";
            return "is " + what + ": a config must be a file (looked at " + file + ")";
        }
        if (!Files.isReadable(file)) {
            return "cannot be read (looked at " + file + "): check its permissions";
        }
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                return "has " + size + " bytes, more than a config may have (" + MAX_BYTES + "): is it the right file?"
                        + " (looked at " + file + ")";
            }
        } catch (IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
        return null;
    }

    private void visit(Path file, List<Path> chain) {
        if (!scanned.add(file)) {
            return;
        }
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(file + ": cannot be read (" + e.getMessage() + ")");
            return;
        }
        Scan scan = scan(text);
        if (scan.tooDeepAt() > 0) {
            problems.add(file + ":" + scan.tooDeepAt() + ": objects and lists are nested more than " + MAX_DEPTH
                    + " levels deep here; a config never needs that many");
        }
        for (Include inc : scan.includes()) {
            String at = file + ":" + inc.line() + ": " + inc.text() + ": ";
            if (inc.form().equals("url")) {
                problems.add(at + "Stride reads no config over the network at run time: download the file and include it"
                        + " by its path");
                continue;
            }
            if (inc.form().equals("classpath")) {
                continue;
            }
            List<Path> targets;
            try {
                targets = resolve(file, inc.name());
            } catch (java.nio.file.InvalidPathException e) {
                problems.add(at + "not a file name (" + e.getReason() + ")");
                continue;
            }
            if (targets.isEmpty()) {
                Path looked = file.getParent().resolve(inc.name()).normalize();
                problems.add(at + "no such file (looked at " + looked + (hasExtension(inc.name()) ? ""
                        : " and with .conf, .json, .properties") + "); an include is relative to the file that includes it");
                continue;
            }
            for (Path target : targets) {
                String problem = unusable(target);
                if (problem != null) {
                    problems.add(at + "the included file " + problem);
                } else if (chain.contains(target)) {
                    List<String> names = new ArrayList<>();
                    chain.subList(chain.indexOf(target), chain.size()).forEach(p -> names.add(p.toString()));
                    names.add(target.toString());
                    problems.add(at + "an include cycle: " + String.join(" includes ", names));
                } else if (chain.size() >= MAX_CHAIN) {
                    problems.add(at + "includes are nested more than " + MAX_CHAIN + " files deep");
                } else {
                    chain.add(target);
                    visit(target, chain);
                    chain.remove(chain.size() - 1);
                }
            }
        }
    }

    /** The files an include names, as HOCON finds them: the name itself, or without an extension each of name.conf, .json, .properties that exists. */
    private static List<Path> resolve(Path including, String name) {
        Path p = Path.of(name);
        Path base = p.isAbsolute() ? p : including.getParent().resolve(p);
        base = base.normalize();
        if (Files.exists(base) || hasExtension(name)) {
            return Files.exists(base) ? List.of(base) : List.of();
        }
        List<Path> out = new ArrayList<>();
        for (String ext : EXTENSIONS) {
            Path withExt = base.resolveSibling(base.getFileName() + ext);
            if (Files.exists(withExt)) {
                out.add(withExt);
            }
        }
        return out;
    }

    private static boolean hasExtension(String name) {
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /** The line of the first place where {@code text} nests objects and lists deeper than {@value #MAX_DEPTH}, or 0. */
    static int tooDeep(String text) {
        return scan(text).tooDeepAt();
    }

    /**
     * A small HOCON lexer: skips comments, quoted and triple-quoted strings and substitutions,
     * counts the nesting of braces and brackets, and finds {@code include} statements (an unquoted
     * {@code include} where a key may start, followed by a quoted name or
     * {@code file(...)}, {@code url(...)}, {@code classpath(...)}, {@code required(...)}).
     */
    static Scan scan(String s) {
        List<Include> includes = new ArrayList<>();
        int line = 1;
        int depth = 0;
        int tooDeepAt = 0;
        boolean statementStart = true;
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\n') {
                line++;
                statementStart = true;
                i++;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\uFEFF') {
                i++;
            } else if (c == '#' || c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                while (end < n && s.charAt(end) == '"') {
                    end++; // a triple-quoted string may end with more quotes
                }
                line += count(s, i, end);
                i = end;
                statementStart = false;
            } else if (c == '"') {
                i = endOfString(s, i);
                statementStart = false;
            } else if (c == '$' && i + 1 < n && s.charAt(i + 1) == '{') {
                int end = s.indexOf('}', i);
                end = end < 0 ? n : end + 1;
                line += count(s, i, end);
                i = end;
                statementStart = false;
            } else if (c == '{' || c == '[') {
                depth++;
                if (depth > MAX_DEPTH && tooDeepAt == 0) {
                    tooDeepAt = line;
                }
                statementStart = true;
                i++;
            } else if (c == '}' || c == ']') {
                depth = Math.max(0, depth - 1);
                statementStart = false;
                i++;
            } else if (c == ',') {
                statementStart = true;
                i++;
            } else if (statementStart && s.startsWith("include", i) && i + 7 < n && Character.isWhitespace(s.charAt(i + 7))) {
                int[] end = new int[1];
                Include inc = include(s, i + 7, line, end);
                if (inc != null) {
                    includes.add(inc);
                    i = end[0];
                } else {
                    i += 7;
                }
                statementStart = false;
            } else {
                statementStart = false;
                i++;
            }
        }
        return new Scan(includes, tooDeepAt);
    }

    /** Parses what follows {@code include}; null when it is no include statement HOCON would accept. */
    private static Include include(String s, int from, int line, int[] end) {
        int i = skipSpaces(s, from);
        String form = "heuristic";
        boolean required = false;
        if (s.startsWith("required(", i)) {
            required = true;
            i = skipSpaces(s, i + "required(".length());
        }
        for (String f : List.of("file", "url", "classpath")) {
            if (s.startsWith(f + "(", i)) {
                form = f;
                i = skipSpaces(s, i + f.length() + 1);
                break;
            }
        }
        if (i >= s.length() || s.charAt(i) != '"') {
            return null;
        }
        int close = endOfString(s, i);
        String name = unquote(s.substring(i + 1, Math.max(i + 1, close - 1)));
        i = close;
        int parens = (form.equals("heuristic") ? 0 : 1) + (required ? 1 : 0);
        for (int k = 0; k < parens; k++) {
            i = skipSpaces(s, i);
            if (i >= s.length() || s.charAt(i) != ')') {
                return null;
            }
            i++;
        }
        end[0] = i;
        return new Include(line, form, name);
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** The index after the closing quote of the string opening at {@code i} (or the end of the line). */
    private static int endOfString(String s, int i) {
        int j = i + 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == '"') {
                return j + 1;
            } else if (c == '\n') {
                return j;
            } else {
                j++;
            }
        }
        return s.length();
    }

    private static String unquote(String body) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                char e = body.charAt(++i);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (i + 4 < body.length()) {
                            try {
                                sb.append((char) Integer.parseInt(body.substring(i + 1, i + 5), 16));
                                i += 4;
                            } catch (NumberFormatException bad) {
                                sb.append('u');
                            }
                        }
                    }
                    default -> sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static int count(String s, int from, int to) {
        int k = 0;
        for (int i = from; i < to && i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                k++;
            }
        }
        return k;
    }
}
