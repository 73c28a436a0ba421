package dev.stride.launcher.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.BadInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class GridTest {
    @Test
    void everyCombinationTheFirstOptionVaryingSlowest() {
        List<Trial> trials = Grid.parse(List.of("optimizer.lr=[0.1,0.05]", "model.hidden=[[128],[256, 64]]")).trials();
        assertEquals(4, trials.size());
        assertEquals(List.of("optimizer.lr=0.1", "model.hidden=[128]"), trials.get(0).overrides());
        assertEquals(List.of("optimizer.lr=0.1", "model.hidden=[256,64]"), trials.get(1).overrides());
        assertEquals(List.of("optimizer.lr=0.05", "model.hidden=[128]"), trials.get(2).overrides());
        assertEquals("trial_3_optimizer.lr=0.05_model.hidden=256-64", trials.get(3).name());
    }

    @Test
    void stringsAndObjectsMakeSafeFolderNames() {
        List<Trial> trials = Grid.parse(List.of("optimizer.type=[sgd, \"adam\"]", "data.train={a:1}".replace("{a:1}", "[{a: 1}]")))
                .trials();
        assertEquals("trial_0_optimizer.type=sgd_data.train=a-1", trials.get(0).name());
        assertEquals("optimizer.type=\"adam\"", trials.get(1).overrides().get(0));
        trials.forEach(t -> assertTrue(t.name().matches("[A-Za-z0-9._+=-]+"), t.name()));
    }

    @Test
    void mistakesNameTheOptionAndTheFix() {
        assertTrue(assertThrows(BadInputException.class, () -> Grid.parse(List.of())).getMessage().contains("--grid"));
        assertTrue(assertThrows(BadInputException.class, () -> Grid.parse(List.of("optimizer.lr"))).getMessage()
                .contains("write --grid key=[value, ...]"));
        assertTrue(assertThrows(BadInputException.class, () -> Grid.parse(List.of("optimizer.lr=0.1"))).getMessage()
                .contains("non-empty list"));
        assertTrue(assertThrows(BadInputException.class, () -> Grid.parse(List.of("optimizer.lr=[]"))).getMessage()
                .contains("non-empty list"));
        assertTrue(assertThrows(BadInputException.class, () -> Grid.parse(List.of("a..b=[1]"))).getMessage()
                .contains("not a config path"));
    }
}
