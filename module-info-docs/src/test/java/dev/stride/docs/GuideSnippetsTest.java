package dev.stride.docs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The guides quote real code: a fenced block after {@code <!-- snippet: PATH -->} must be a run of
 * lines of that file (indentation and blank lines aside), and every relative link of the docs
 * points at a file that exists.
 */
class GuideSnippetsTest {
    private static final Pattern SNIPPET = Pattern.compile("<!-- snippet: (\\S+) -->");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    @Test
    void quotedCodeIsTheCodeOfTheFileNamed() throws IOException {
        int checked = 0;
        List<String> problems = new ArrayList<>();
        for (Path doc : docs()) {
            List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = SNIPPET.matcher(lines.get(i));
                if (!m.find()) {
                    continue;
                }
                Path source = Distribution.docs().resolve(m.group(1)).normalize();
                List<String> block = block(lines, i + 1);
                checked++;
                if (!Files.exists(source)) {
                    problems.add(doc.getFileName() + ":" + (i + 1) + ": no file " + source);
                } else if (Collections.indexOfSubList(normalized(Files.readAllLines(source)), normalized(block)) < 0) {
                    problems.add(doc.getFileName() + ":" + (i + 1) + ": the block is not (or no longer) in " + m.group(1));
                }
            }
        }
        assertTrue(checked >= 10, "the guides quote the examples: " + checked + " snippets");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void relativeLinksPointAtFilesThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : docs()) {
            Matcher m = LINK.matcher(Files.readString(doc, StandardCharsets.UTF_8));
            while (m.find()) {
                String target = m.group(1);
                if (!target.contains("://") && !Files.exists(doc.getParent().resolve(target))) {
                    broken.add(doc.getFileName() + ": " + target);
                }
            }
        }
        assertTrue(broken.isEmpty(), "broken links: " + broken);
    }

    private static List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Distribution.docs().resolve("README.md")));
        for (String folder : List.of("guides", "examples")) {
            try (Stream<Path> s = Files.walk(Distribution.docs().resolve(folder), 2)) {
                s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
            }
        }
        return docs;
    }

    /** The lines of the fenced block starting at line {@code start}. */
    private static List<String> block(List<String> lines, int start) {
        assertTrue(lines.get(start).startsWith("```"), "a snippet marker is followed by a fenced block: " + lines.get(start));
        List<String> block = new ArrayList<>();
        for (int i = start + 1; !lines.get(i).startsWith("```"); i++) {
            block.add(lines.get(i));
        }
        assertFalse(block.isEmpty());
        return block;
    }

    private static List<String> normalized(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
