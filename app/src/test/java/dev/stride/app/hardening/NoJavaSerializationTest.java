package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build check: no Java serialization anywhere. Every {@code src/main/java} file of the
 * repository (all modules, examples and test plugins; {@code target/} and hidden folders
 * skipped) is scanned; a failure lists file:line. Two rules:
 * <ul>
 *   <li>no object streams and no serialization hooks ({@code ObjectInputStream},
 *       {@code ObjectOutputStream}, {@code readObject(} ..., {@code XMLDecoder}), without exception;
 *   <li>no class opting into Java serialization ({@code implements Serializable} /
 *       {@code Externalizable}, an interface extending them, a cast to {@code & Serializable}) unless its line says why, with a comment
 *       {@code // java-serialization: <reason>} (e.g. an object Spark ships between its own
 *       processes); waived lines are printed.
 * </ul>
 * Comments are ignored, and so is {@code serialVersionUID}: every Throwable is Serializable.
 */
class NoJavaSerializationTest {
    private static final Pattern STREAMS = Pattern.compile("\\bObject(Input|Output)Stream\\b|\\bObjectInputFilter\\b"
            + "|\\b(readObject|writeObject|readObjectNoData|readResolve|writeReplace|readExternal|writeExternal)\\s*\\("
            + "|\\bXMLDecoder\\b|\\bSerializationUtils\\b");
    private static final Pattern OPT_IN = Pattern.compile(
            "\\b(implements|extends)\\b[^{]*\\b(Serializable|Externalizable)\\b|&\\s*(java\\.io\\.)?Serializable\\b");
    private static final Pattern WAIVER = Pattern.compile("//\\s*java-serialization:\\s*\\S.*");

    /** The repository root: the nearest folder above the working directory with runner-api/ and app/. */
    static Path repo() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("runner-api")) && Files.isDirectory(p.resolve("app"))) {
                return p;
            }
        }
        throw new AssertionError("no repository root above " + Path.of("").toAbsolutePath());
    }

    /** Every .java file below a src/main/java folder, outside target/ and hidden folders. */
    static List<Path> mainSources(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p))
                    .filter(p -> {
                        String rel = root.relativize(p).toString().replace('\\', '/');
                        return rel.contains("src/main/java/") && !rel.matches("(.*/)?(target|\\.[^/]+)/.*");
                    })
                    .sorted().toList();
        }
    }

    /** file:line: text of each line (comments ignored) matching {@code rule}, unless {@code waivable} and waived. */
    static List<String> find(Path root, Pattern rule, boolean waivable, boolean waived) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path f : mainSources(root)) {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String code = line.replaceAll("//.*", "").trim();
                if (code.startsWith("*") || code.startsWith("/*") || !rule.matcher(code).find()) {
                    continue;
                }
                Matcher w = WAIVER.matcher(line);
                if (waived == (waivable && w.find())) {
                    out.add(root.relativize(f).toString().replace('\\', '/') + ":" + (i + 1) + ": " + line.trim());
                }
            }
        }
        return out;
    }

    @Test
    void noObjectStreamsOrSerializationHooksAnywhere() throws IOException {
        Path root = repo();
        int files = mainSources(root).size();
        assertTrue(files > 100, "only " + files + " main source files under " + root + ": the scan looks in the wrong place");
        List<String> found = find(root, STREAMS, false, false);
        System.out.printf("NoJavaSerializationTest: %d main source files scanned, %d object streams or serialization hooks%n",
                files, found.size());
        assertEquals(List.of(), found, "Java serialization is not allowed (use JSON / safetensors):\n" + String.join("\n", found));
    }

    @Test
    void noClassOptsIntoJavaSerializationWithoutSayingWhy() throws IOException {
        Path root = repo();
        List<String> waived = find(root, OPT_IN, true, true);
        List<String> found = find(root, OPT_IN, true, false);
        System.out.printf("NoJavaSerializationTest: %d classes opting into Java serialization without a reason, %d waived%s%n",
                found.size(), waived.size(), waived.isEmpty() ? "" : ":\n  " + String.join("\n  ", waived));
        assertEquals(List.of(), found, "a class implements Serializable: remove it, or say why on its line with"
                + " // java-serialization: <reason>\n" + String.join("\n", found));
    }

    @Test
    void theScanFindsWhatItLooksFor(@TempDir Path root) throws IOException {
        Path src = Files.createDirectories(root.resolve("m/src/main/java/x"));
        Files.writeString(src.resolve("Bad.java"), """
                package x;
                // an ObjectInputStream in a comment is fine
                class Bad implements java.io.Serializable {
                    private static final long serialVersionUID = 1L;
                    Object read(java.io.InputStream in) throws Exception {
                        return new java.io.ObjectInputStream(in).readObject(); // java-serialization: never waivable
                    }
                    private Object readResolve() { return this; }
                }
                record Shipped(int a) implements java.io.Serializable {} // java-serialization: Spark ships it to executors
                record Lazy(int a) implements java.io.Serializable {} // java-serialization:
                interface Task extends Runnable, java.io.Serializable {}
                """);
        Files.createDirectories(root.resolve("m/target/src/main/java"));
        Files.writeString(root.resolve("m/target/src/main/java/Gen.java"), "class Gen { java.io.ObjectOutputStream o; }");
        Files.createDirectories(root.resolve("m/src/test/java"));
        Files.writeString(root.resolve("m/src/test/java/T.java"), "class T { java.io.ObjectOutputStream o; }");
        String bad = "m/src/main/java/x/Bad.java:";
        assertEquals(List.of(bad + "6: return new java.io.ObjectInputStream(in).readObject(); // java-serialization: never waivable",
                bad + "8: private Object readResolve() { return this; }"), find(root, STREAMS, false, false));
        assertEquals(List.of(bad + "3: class Bad implements java.io.Serializable {",
                bad + "11: record Lazy(int a) implements java.io.Serializable {} // java-serialization:",
                bad + "12: interface Task extends Runnable, java.io.Serializable {}"), find(root, OPT_IN, true, false));
        assertEquals(List.of(bad + "10: record Shipped(int a) implements java.io.Serializable {} // java-serialization: Spark ships it"
                + " to executors"), find(root, OPT_IN, true, true));
    }
}
