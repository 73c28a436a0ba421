package dev.stride.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The README's module graph is the distribution's: every edge of the Mermaid diagram is a
 * {@code requires}, {@code provides} or {@code uses} of a real module descriptor and vice versa,
 * and the generated table is up to date ({@code -Dstride.docs.update=true} rewrites it).
 */
class ModuleGraphTest {
    private static final Path README = Distribution.docs().resolve("README.md");
    private static final Map<String, ModuleReference> MODULES = StrideModules.published();

    @Test
    void theDiagramDrawsExactlyTheEdgesOfTheModuleDescriptors() throws Exception {
        Set<String> real = new TreeSet<>();
        MODULES.values().forEach(ref -> real.addAll(ModuleEdges.of(ref.descriptor())));
        Set<String> drawn = MermaidGraph.edges(MermaidGraph.block(Files.readString(README, StandardCharsets.UTF_8)));
        Set<String> missing = new TreeSet<>(real);
        missing.removeAll(drawn);
        Set<String> stale = new TreeSet<>(drawn);
        stale.removeAll(real);
        assertEquals("missing: [] stale: []", "missing: " + missing + " stale: " + stale,
                "README.md's diagram must match the module-info.java files (missing: add these edges; stale: remove them)");
    }

    @Test
    void theGeneratedTableIsUpToDate() throws Exception {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        String table = ModuleFactsTable.render(MODULES);
        if (Boolean.getBoolean("stride.docs.update") && !table.equals(ModuleFactsTable.current(readme))) {
            readme = ModuleFactsTable.replace(readme, table);
            Files.writeString(README, readme, StandardCharsets.UTF_8);
        }
        assertEquals(table, ModuleFactsTable.current(readme), "README.md's generated module facts are stale: run "
                + "mvn -o verify -pl module-info-docs -Dstride.docs.update=true");
    }
}
