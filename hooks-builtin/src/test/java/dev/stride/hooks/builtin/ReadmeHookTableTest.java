package dev.stride.hooks.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.spi.HookProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The README's table of built-in hooks lists every hook, its default priority and every option. */
class ReadmeHookTableTest {
    private static final Path README = Path.of("../README.md");
    private static final List<String> SCHEDULES = List.of("lr-schedule", "momentum-schedule");

    @Test
    void listsEveryHookWithItsPriorityAndOptions() throws IOException {
        assumeTrue(Files.isRegularFile(README), "built outside the repository");
        Map<String, List<String[]>> table = table(Files.readAllLines(README));
        Config reference = ConfigFactory.defaultReference().getConfig("stride.hook");
        for (HookProvider p : ServiceLoader.load(HookProvider.class)) {
            if (!p.getClass().getPackageName().startsWith("dev.stride.hooks.builtin")) {
                continue;
            }
            List<String[]> rows = table.get(p.name());
            assertTrue(rows != null, "README has no row for hook " + p.name());
            String priority = rows.get(0)[1];
            assertTrue(priority.endsWith("(" + p.defaultPriority() + ")")
                    && priority.startsWith(Priority.values()[indexOf(p.defaultPriority())].name()), p.name() + ": " + priority);
            if (SCHEDULES.contains(p.name())) {
                assertTrue(rows.get(0)[4].contains("(#schedules)"), "points to the Schedules section");
                continue;
            }
            Map<String, String> documented = new LinkedHashMap<>();
            for (String[] r : rows) {
                if (!r[2].isEmpty()) {
                    documented.put(r[2].replace("`", ""), r[3].replace("`", "").replace("\"", ""));
                }
            }
            Map<String, String> options = new LinkedHashMap<>();
            flatten("", reference.getConfig("\"" + p.name() + "\"").root().entrySet(), options);
            assertEquals(options, documented, "options and defaults of " + p.name());
        }
    }

    private static int indexOf(int priority) {
        for (int i = 0; i < Priority.values().length; i++) {
            if (Priority.values()[i].value() == priority) {
                return i;
            }
        }
        throw new AssertionError("not a named priority: " + priority);
    }

    private static void flatten(String prefix, Iterable<Map.Entry<String, ConfigValue>> entries, Map<String, String> out) {
        for (Map.Entry<String, ConfigValue> e : entries) {
            ConfigValue v = e.getValue();
            if (v.valueType() == ConfigValueType.OBJECT) {
                flatten(prefix + e.getKey() + ".", ((com.typesafe.config.ConfigObject) v).entrySet(), out);
            } else {
                out.put(prefix + e.getKey(), v.valueType() == ConfigValueType.NULL ? "null" : String.valueOf(v.unwrapped()));
            }
        }
    }

    /** Rows of the "Built-in hooks" table by hook; a row with an empty first cell belongs to the hook above. */
    private static Map<String, List<String[]>> table(List<String> lines) {
        Map<String, List<String[]>> byHook = new LinkedHashMap<>();
        int start = lines.indexOf("## Built-in hooks");
        assertTrue(start >= 0, "README has a '## Built-in hooks' section");
        String hook = null;
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            String line = lines.get(i);
            if (!line.startsWith("| ") || line.startsWith("| hook ") || line.startsWith("| ---")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
            for (int c = 0; c < cells.length; c++) {
                cells[c] = cells[c].trim();
            }
            if (!cells[0].isEmpty()) {
                hook = cells[0].replace("`", "");
            }
            byHook.computeIfAbsent(hook, h -> new ArrayList<>()).add(cells);
        }
        return byHook;
    }
}
