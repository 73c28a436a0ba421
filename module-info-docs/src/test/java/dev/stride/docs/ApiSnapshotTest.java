package dev.stride.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The exported API of every Stride module is kept as text in {@code api/current} (see
 * {@link ApiSnapshot}); the API of the last release in {@code api/<version>}. A change to the API
 * fails the build until the snapshot is rewritten ({@code -Dstride.api.update=true}) and every type
 * that differs from the last release is named in the newest section of {@code CHANGES.md}: an API
 * never changes without a word to the plugin authors who compile against it.
 */
class ApiSnapshotTest {
    static final String LAST_RELEASE = "0.1.0";

    private static Path snapshots() {
        return Distribution.docs().resolve("api");
    }

    @Test
    void theExportedApiIsTheSnapshot() throws IOException {
        Map<String, List<String>> now = ApiSnapshot.current();
        Path dir = snapshots().resolve("current");
        if (Boolean.getBoolean("stride.api.update")) {
            ApiSnapshot.write(dir);
        }
        Map<String, List<String>> kept = Files.isDirectory(dir) ? ApiSnapshot.read(dir) : Map.of();
        List<String> diff = diff(kept, now);
        assertTrue(diff.isEmpty(), "the exported API differs from module-info-docs/api/current (+ new, - gone):\n"
                + String.join("\n", diff.subList(0, Math.min(60, diff.size())))
                + "\nIf the change is meant: rewrite the snapshot with mvn -o verify -pl module-info-docs"
                + " -Dstride.api.update=true, and name each changed type in CHANGES.md.");
    }

    @Test
    void everyTypeChangedSinceTheLastReleaseIsInTheChangeLog() throws IOException {
        Map<String, List<String>> released = ApiSnapshot.read(snapshots().resolve(LAST_RELEASE));
        Map<String, List<String>> now = ApiSnapshot.current();
        String notes = newestSection(Files.readString(Distribution.repo().resolve("CHANGES.md"), StandardCharsets.UTF_8));
        Set<String> unnamed = new TreeSet<>();
        for (String type : changedTypes(released, now)) {
            String dotted = type.replace('$', '.');
            String nested = type.substring(type.lastIndexOf('.') + 1).replace('$', '.');
            if (!notes.contains("`" + nested + "`") && !notes.contains("`" + dotted + "`")) {
                unnamed.add(nested + " (" + type + ")");
            }
        }
        assertTrue(unnamed.isEmpty(), "these types changed since " + LAST_RELEASE + " but CHANGES.md's newest section"
                + " does not name them (as `Type` or `Outer.Inner`): " + unnamed);
    }

    /** The text from the first {@code ## } heading to the next. */
    static String newestSection(String changes) {
        int start = changes.indexOf("\n## ");
        if (start < 0) {
            throw new AssertionError("CHANGES.md has no '## <version>' section");
        }
        int end = changes.indexOf("\n## ", start + 4);
        return end < 0 ? changes.substring(start) : changes.substring(start, end);
    }

    /** The types whose lines differ between two snapshots (added, removed or changed), by name. */
    static Set<String> changedTypes(Map<String, List<String>> before, Map<String, List<String>> after) {
        Map<String, Set<String>> a = byType(before);
        Map<String, Set<String>> b = byType(after);
        Set<String> changed = new TreeSet<>();
        Set<String> all = new TreeSet<>(a.keySet());
        all.addAll(b.keySet());
        for (String type : all) {
            if (!a.getOrDefault(type, Set.of()).equals(b.getOrDefault(type, Set.of()))) {
                changed.add(type);
            }
        }
        return changed;
    }

    /** Each type's lines (its declaration and members) over all modules; the module a type is in is part of its lines. */
    private static Map<String, Set<String>> byType(Map<String, List<String>> snapshot) {
        Map<String, Set<String>> out = new TreeMap<>();
        snapshot.forEach((module, lines) -> {
            for (String line : lines) {
                int cut = line.indexOf(' ');
                String type = cut < 0 ? line : line.substring(0, cut);
                out.computeIfAbsent(type, k -> new TreeSet<>()).add(module + ": " + line);
            }
        });
        return out;
    }

    private static List<String> diff(Map<String, List<String>> kept, Map<String, List<String>> now) {
        List<String> out = new ArrayList<>();
        Set<String> modules = new TreeSet<>(kept.keySet());
        modules.addAll(now.keySet());
        for (String m : modules) {
            Set<String> k = new TreeSet<>(kept.getOrDefault(m, List.of()));
            Set<String> n = new TreeSet<>(now.getOrDefault(m, List.of()));
            n.stream().filter(l -> !k.contains(l)).forEach(l -> out.add("+ " + m + ": " + l));
            k.stream().filter(l -> !n.contains(l)).forEach(l -> out.add("- " + m + ": " + l));
        }
        return out;
    }
}
