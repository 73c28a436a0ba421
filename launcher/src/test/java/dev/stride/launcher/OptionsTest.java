package dev.stride.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import dev.stride.runner.api.BadInputException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionsTest {
    private static final Config DEFAULTS = ConfigFactory.parseString("""
            interval = 1
            by-epoch = true
            out-dir = null
            name = "ckpt"
            steps = [3]
            schedule { warmup = 0, ratio = 0.1, kind = "linear" }
            """);

    /** A section as the user wrote it in {@code hooks.conf}, starting at line 1. */
    private static Config user(String text) {
        return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription("hooks.conf"));
    }

    private static List<String> problems(String text) {
        Problems p = new Problems();
        Options.merge(user(text), "hooks[1]", "hook 'checkpoint'", DEFAULTS, Set.of("type", "priority"), p);
        return p.lines();
    }

    @Test
    void aSectionThatReplacedANullStillGetsTheDefaults() {
        // --set hook=null --set 'hook={...}' replaces the file's section (HOCON merges objects otherwise); the
        // replacing object ignores fallbacks in HOCON, which must not keep the provider's defaults out
        Config config = ConfigFactory.parseString("hook = { type = checkpoint, interval = 3, schedule.kind = step }")
                .withFallback(ConfigFactory.parseString("hook = null"))
                .withFallback(user("hook = { type = checkpoint, interval = 2, name = old }")).resolve();
        Problems p = new Problems();
        Config merged = Options.merge(config.getConfig("hook"), "hook", "hook 'checkpoint'", DEFAULTS, Set.of("type"), p);
        assertTrue(p.isEmpty(), p.lines().toString());
        assertEquals(3, merged.getInt("interval"));
        assertEquals("ckpt", merged.getString("name"), "the file's section was replaced, not merged");
        assertTrue(merged.getBoolean("by-epoch"), "a default the user left out");
        assertEquals("step", merged.getString("schedule.kind"));
        assertEquals(0.1, merged.getDouble("schedule.ratio"), 0.0, "a nested default");
    }

    @Test
    void validSectionMergesOverDefaultsWithoutIgnoredKeys() {
        Problems p = new Problems();
        Config merged = Options.merge(user("type = checkpoint\npriority = LOW\ninterval = 2\nschedule.warmup = 5"),
                "hooks[1]", "hook 'checkpoint'", DEFAULTS, Set.of("type", "priority"), p);
        assertTrue(p.isEmpty(), p.lines().toString());
        assertEquals(2, merged.getInt("interval"));
        assertTrue(merged.getBoolean("by-epoch"));
        assertEquals(5, merged.getInt("schedule.warmup"));
        assertEquals(0.1, merged.getDouble("schedule.ratio"), 0.0);
        assertEquals("ckpt", merged.getString("name"));
        assertFalse(merged.hasPath("type"));
        assertFalse(merged.hasPath("priority"));
    }

    @Test
    void unknownOptionNamesFileLineAndSuggestsTheClosest() {
        List<String> lines = problems("type = checkpoint\nintervall = 2\n");
        assertEquals(1, lines.size(), lines.toString());
        String m = lines.get(0);
        assertTrue(m.startsWith("hooks.conf: 2: "), "file and line first: " + m);
        assertTrue(m.contains("hooks[1].intervall"), m);
        assertTrue(m.contains("unknown option 'intervall' of hook 'checkpoint'"), m);
        assertTrue(m.contains("(did you mean 'interval'?)"), m);
        assertTrue(m.contains("by-epoch, interval, name, out-dir, schedule, steps"), "lists the options: " + m);
    }

    @Test
    void unknownOptionWithoutCloseMatchHasNoSuggestion() {
        String m = problems("colour = red").get(0);
        assertTrue(m.contains("unknown option 'colour'"), m);
        assertFalse(m.contains("did you mean"), m);
    }

    @Test
    void wrongTypesAreReported() {
        String m = problems("interval = \"often\"").get(0);
        assertTrue(m.contains("hooks[1].interval"), m);
        assertTrue(m.contains("expected a number for 'interval', got 'often'"), m);

        m = problems("by-epoch = 3").get(0);
        assertTrue(m.contains("expected true or false for 'by-epoch'"), m);

        m = problems("steps = 3").get(0);
        assertTrue(m.contains("expected a list [ ... ] for 'steps'"), m);

        m = problems("name = [1, 2]").get(0);
        assertTrue(m.contains("expected a string for 'name', got a list"), m);

        m = problems("interval = null").get(0);
        assertTrue(m.contains("expected a number for 'interval', got null"), m);
    }

    @Test
    void compatibleScalarsAreAccepted() {
        assertEquals(List.of(), problems("interval = \"3\""), "a number written as a string");
        assertEquals(List.of(), problems("by-epoch = \"yes\""));
        assertEquals(List.of(), problems("by-epoch = false"));
        assertEquals(List.of(), problems("name = 5"), "a number where a string is expected");
        assertEquals(List.of(), problems("name = null"));
        assertEquals(List.of(), problems("steps = [1, 2, 5]"));
    }

    @Test
    void nestedObjectsAreCheckedKeyByKey() {
        List<String> lines = problems("schedule { warmpu = 3, ratio = \"high\" }");
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("hooks[1].schedule.ratio") && l.contains("expected a number")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("hooks[1].schedule.warmpu")
                && l.contains("did you mean 'warmup'") && l.contains("kind, ratio, warmup")), lines.toString());

        String m = problems("schedule = 5").get(0);
        assertTrue(m.contains("expected an object { ... } for 'schedule', got '5'"), m);
    }

    @Test
    void nullDefaultAcceptsAnything() {
        assertEquals(List.of(), problems("out-dir = \"/tmp/x\""));
        assertEquals(List.of(), problems("out-dir = 7"));
        assertEquals(List.of(), problems("out-dir = [a, b]"));
        assertEquals(List.of(), problems("out-dir { a = 1 }"));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Problems p = new Problems();
        Options.merge(user("intervall = 1\nby-epoch = 3\nschedule.kind = [x]"), "hooks[0]", "hook 'checkpoint'", DEFAULTS,
                Set.of(), p);
        assertEquals(3, p.lines().size(), p.lines().toString());
        BadInputException e = assertThrows(BadInputException.class, () -> p.throwIfAny("The config"));
        assertTrue(e.getMessage().startsWith("The config has 3 problems:"), e.getMessage());
        assertEquals(4, e.getMessage().split("\n").length, e.getMessage());
    }

    @Test
    void quoteQuotesKeysThatAreNotPlain() {
        assertEquals("max-epochs", Options.quote("max-epochs"));
        assertEquals("\"a.b\"", Options.quote("a.b"));
        assertEquals("\"say \\\"hi\\\"\"", Options.quote("say \"hi\""));
    }
}
