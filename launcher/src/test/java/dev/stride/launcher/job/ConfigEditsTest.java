package dev.stride.launcher.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.stride.runner.api.BadInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigEditsTest {
    private static final Config DEFAULTS = ConfigFactory.parseString("""
            hooks = [{ type = text-logger, interval = 50 }, { type = checkpoint }]
            workflow = [[train, 1]]
            """);
    private static final Config USER = ConfigFactory.parseString("""
            optimizer { type = sgd, lr = 0.1 }
            workflow = [[train, 2], [val, 1]]
            hooks = [{ type = lr-schedule, policy = step, step = [3] }, { type = text-logger, interval = 50 }]
            """);

    private static Config set(Config c, String... sets) {
        for (String s : sets) {
            c = ConfigEdits.apply(c, DEFAULTS, s);
        }
        return c.withFallback(DEFAULTS).resolve();
    }

    @Test
    void aPlainPathIsSetAsBefore() {
        Config c = set(USER, "optimizer.lr=0.05", "optimizer.nesterov=true");
        assertEquals(0.05, c.getDouble("optimizer.lr"));
        assertTrue(c.getBoolean("optimizer.nesterov"));
    }

    @Test
    void aNumberIndexesAListFromZero() {
        Config c = set(USER, "hooks.1.interval=2", "workflow.0.1=3", "hooks.0.step=[2, 4]");
        assertEquals(2, c.getConfigList("hooks").get(1).getInt("interval"));
        assertEquals("text-logger", c.getConfigList("hooks").get(1).getString("type"), "the rest of the element stays");
        assertEquals(List.of(2, 4), c.getConfigList("hooks").get(0).getIntList("step"));
        assertEquals(List.of(List.of("train", 3), List.of("val", 1)), c.getAnyRefList("workflow"));
    }

    @Test
    void anIndexMayReplaceAWholeElement() {
        Config c = set(USER, "hooks.0={type = checkpoint, interval = 2}");
        assertEquals(Map.of("type", "checkpoint", "interval", 2), c.getConfigList("hooks").get(0).root().unwrapped());
    }

    @Test
    void plusEqualsAppendsTheElementsOfAListOrOneValue() {
        Config c = set(USER, "hooks+=[{type = progress}, {type = memory}]", "workflow+=[val, 2]");
        assertEquals(List.of("lr-schedule", "text-logger", "progress", "memory"),
                c.getConfigList("hooks").stream().map(h -> h.getString("type")).toList());
        // [val, 2] is a list: its elements are appended one by one (use [[val, 2]] to append one phase)
        assertEquals(List.of(List.of("train", 2), List.of("val", 1), "val", 2), c.getAnyRefList("workflow"));
        Config phase = set(USER, "workflow+=[[val, 2]]");
        assertEquals(List.of(List.of("train", 2), List.of("val", 1), List.of("val", 2)), phase.getAnyRefList("workflow"));
    }

    @Test
    void withoutTheUsersListAppendsAndIndicesWorkOnTheDefaults() {
        Config none = ConfigFactory.parseString("optimizer { type = sgd }");
        Config c = set(none, "hooks+=[{type = progress}]", "hooks.0.interval=10");
        assertEquals(List.of("text-logger", "checkpoint", "progress"),
                c.getConfigList("hooks").stream().map(h -> h.getString("type")).toList());
        assertEquals(10, c.getConfigList("hooks").get(0).getInt("interval"));
        Config fresh = set(none, "plugins+=\"extra\"");
        assertEquals(List.of("extra"), fresh.getStringList("plugins"), "a missing list is created");
    }

    @Test
    void mistakesNameTheSetAndWhatIsThere() {
        BadInputException range = assertThrows(BadInputException.class, () -> set(USER, "hooks.5.interval=2"));
        assertEquals("--set hooks.5.interval=2: hooks has 2 elements (0..1); append with --set hooks+=[...]", range.getMessage());
        BadInputException notList = assertThrows(BadInputException.class, () -> set(USER, "optimizer.lr+=[1]"));
        assertEquals("--set optimizer.lr+=[1]: += appends to a list, but optimizer.lr is '0.1'", notList.getMessage());
        BadInputException word = assertThrows(BadInputException.class, () -> set(USER, "hooks.first.interval=2"));
        assertTrue(word.getMessage().contains("hooks is a list; index it with a number from 0, e.g. hooks.0"), word.getMessage());
        BadInputException scalar = assertThrows(BadInputException.class, () -> set(USER, "optimizer.lr.0=2"));
        assertTrue(scalar.getMessage().contains("optimizer.lr is '0.1', not a list to index"), scalar.getMessage());
        BadInputException missing = assertThrows(BadInputException.class, () -> set(USER, "nothing.0=2"));
        assertTrue(missing.getMessage().contains("there is no list at nothing to index"), missing.getMessage());
    }

    @Test
    void aListFromASubstitutionCannotBeIndexedButCanBeReplaced() {
        Config user = ConfigFactory.parseString("vars { mine = [{ type = progress }] }\nhooks = ${vars.mine}");
        BadInputException e = assertThrows(BadInputException.class, () -> set(user, "hooks.0.interval=3"));
        assertTrue(e.getMessage().contains("given by a ${...} substitution"), e.getMessage());
        assertEquals(List.of(), set(user, "hooks=[]").getList("hooks").unwrapped());
    }
}
