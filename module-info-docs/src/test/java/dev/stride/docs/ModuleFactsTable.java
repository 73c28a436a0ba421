package dev.stride.docs;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReference;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The README's generated table: each Stride module's jar, requires, exports, provides and uses. */
final class ModuleFactsTable {
    static final String BEGIN = "<!-- BEGIN GENERATED module facts -->";
    static final String END = "<!-- END GENERATED module facts -->";

    private ModuleFactsTable() {}

    static String render(Map<String, ModuleReference> modules) {
        StringBuilder sb = new StringBuilder();
        sb.append("| module | jar | requires | exports | provides | uses |\n");
        sb.append("| --- | --- | --- | --- | --- | --- |\n");
        for (ModuleReference ref : modules.values()) {
            ModuleDescriptor d = ref.descriptor();
            String jar = StrideModules.jar(ref).getFileName().toString().replaceFirst("-[0-9][^-]*\\.jar$", "");
            sb.append("| `").append(d.name()).append("` | `").append(jar).append("` | ")
                    .append(list(d.requires().stream().filter(r -> !r.name().equals("java.base")).map(ModuleFactsTable::requires)
                            .toList()))
                    .append(" | ").append(list(d.exports().stream().map(ModuleFactsTable::exports).toList()))
                    .append(" | ").append(list(d.provides().stream().map(p -> simple(p.service()))
                            .toList()))
                    .append(" | ").append(list(d.uses().stream().map(ModuleFactsTable::simple).toList()))
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** The generated section of the README as it is. */
    static String current(String readme) {
        int b = readme.indexOf(BEGIN);
        int e = readme.indexOf(END);
        if (b < 0 || e < b) {
            throw new AssertionError("README.md lacks the markers " + BEGIN + " ... " + END);
        }
        return readme.substring(b + BEGIN.length() + 1, e);
    }

    /** The README with its generated section replaced by {@code table}. */
    static String replace(String readme, String table) {
        int b = readme.indexOf(BEGIN);
        int e = readme.indexOf(END);
        if (b < 0 || e < b) {
            throw new AssertionError("README.md lacks the markers " + BEGIN + " ... " + END);
        }
        return readme.substring(0, b + BEGIN.length()) + "\n" + table + readme.substring(e);
    }

    private static String requires(ModuleDescriptor.Requires r) {
        String modifiers = r.modifiers().stream().filter(m -> m != ModuleDescriptor.Requires.Modifier.MANDATED)
                .map(m -> m.name().toLowerCase()).sorted().collect(Collectors.joining(" "));
        return (modifiers.isEmpty() ? "" : modifiers + " ") + r.name();
    }

    /** {@code pkg}, or {@code pkg (to m1, m2)} for a qualified export. */
    private static String exports(ModuleDescriptor.Exports e) {
        return e.isQualified() ? e.source() + " (to " + String.join(", ", new TreeSet<>(e.targets())) + ")" : e.source();
    }

    private static String simple(String service) {
        return service.substring(service.lastIndexOf('.') + 1);
    }

    private static String list(Collection<String> items) {
        return items.isEmpty() ? "—" : new TreeSet<>(items).stream().map(i -> "`" + i + "`").collect(Collectors.joining(", "));
    }
}
