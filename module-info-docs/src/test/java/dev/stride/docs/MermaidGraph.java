package dev.stride.docs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the module graph the README draws in Mermaid, in the small dialect the README describes:
 * module nodes {@code id["name"]}, service nodes {@code id{{"Service"}}} (in
 * {@code dev.stride.runner.api.spi}; {@code "internal.Service"} in {@code dev.stride.runner.api.internal}), subgraphs, and edges {@code a -->|requires ...| b},
 * {@code a ==>|provides| S}, {@code a -.->|uses| S} (a subgraph standing for its services).
 */
final class MermaidGraph {
    static final String SPI = "dev.stride.runner.api.spi.";
    static final String API = "dev.stride.runner.api.";

    private static final Pattern MODULE = Pattern.compile("^(\\w+)\\[\"([^\"]+)\"]$");
    private static final Pattern SERVICE = Pattern.compile("^(\\w+)\\{\\{\"([^\"]+)\"}}$");
    private static final Pattern SUBGRAPH = Pattern.compile("^subgraph (\\w+)\\b.*$");
    private static final Pattern EDGE = Pattern.compile("^(\\w+) (-->|==>|-\\.->)\\|([^|]+)\\| (\\w+)$");

    private MermaidGraph() {}

    /** The first {@code ```mermaid} block of a Markdown text. */
    static List<String> block(String markdown) {
        int start = markdown.indexOf("```mermaid\n");
        if (start < 0) {
            throw new AssertionError("no ```mermaid block");
        }
        int end = markdown.indexOf("\n```", start + 11);
        return markdown.substring(start + 11, end).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** The edges the block draws, as {@link ModuleEdges} sentences; a line it cannot read is an error. */
    static Set<String> edges(List<String> lines) {
        Map<String, String> names = new HashMap<>();
        Map<String, List<String>> groups = new LinkedHashMap<>();
        List<String> open = new ArrayList<>();
        List<String[]> edges = new ArrayList<>();
        for (String line : lines) {
            Matcher m;
            if (line.startsWith("flowchart ") || line.startsWith("%%")) {
                continue;
            } else if ((m = SUBGRAPH.matcher(line)).matches()) {
                open.add(m.group(1));
                groups.put(m.group(1), new ArrayList<>());
            } else if (line.equals("end")) {
                open.remove(open.size() - 1);
            } else if ((m = MODULE.matcher(line)).matches()) {
                declare(m.group(1), m.group(2), names, groups, open);
            } else if ((m = SERVICE.matcher(line)).matches()) {
                // "RunnerProvider" is a service of the SPI package; "internal.Preload" one of runner-api's internal package
                String service = m.group(2).contains(".") ? API + m.group(2) : SPI + m.group(2);
                declare(m.group(1), service, names, groups, open);
            } else if ((m = EDGE.matcher(line)).matches()) {
                edges.add(new String[] {m.group(1), m.group(2), m.group(3).strip(), m.group(4)});
            } else {
                throw new AssertionError("the module graph has a line the test cannot read: " + line);
            }
        }
        Set<String> out = new TreeSet<>();
        for (String[] e : edges) {
            String from = name(names, e[0]);
            List<String> targets = groups.containsKey(e[3]) ? groups.get(e[3]) : List.of(e[3]);
            for (String target : targets) {
                out.add(sentence(from, e[1], e[2], name(names, target)));
            }
        }
        return out;
    }

    private static void declare(String id, String name, Map<String, String> names, Map<String, List<String>> groups,
            List<String> open) {
        names.put(id, name);
        for (String group : open) {
            groups.get(group).add(id);
        }
    }

    private static String sentence(String from, String arrow, String label, String to) {
        String[] words = label.split(" ");
        String expected = switch (words[0]) {
            case "requires" -> "-->";
            case "provides" -> "==>";
            case "uses" -> "-.->";
            default -> throw new AssertionError("unknown edge label '" + label + "'");
        };
        if (!arrow.equals(expected)) {
            throw new AssertionError("a '" + words[0] + "' edge is drawn " + expected + ", not " + arrow + ": " + from);
        }
        if (words[0].equals("requires")) {
            Set<String> modifiers = new TreeSet<>(List.of(words).subList(1, words.length));
            return ModuleEdges.requires(from, modifiers, to);
        }
        return from + " " + label + " " + to;
    }

    private static String name(Map<String, String> names, String id) {
        String name = names.get(id);
        if (name == null) {
            throw new AssertionError("the module graph has an edge to the undeclared node " + id);
        }
        return name;
    }
}
