package dev.stride.hooks.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.BadInputException;
import org.junit.jupiter.api.Test;

class MetricRuleTest {
    @Test
    void infersTheRuleFromTheMetricsName() {
        assertEquals(MetricRule.GREATER, MetricRule.of("accuracy", null, "monitor"));
        assertEquals(MetricRule.GREATER, MetricRule.of("accuracy_top5", null, "monitor"));
        assertEquals(MetricRule.GREATER, MetricRule.of("mAP", null, "monitor"));
        assertEquals(MetricRule.GREATER, MetricRule.of("f1", null, "monitor"));
        assertEquals(MetricRule.LESS, MetricRule.of("loss", null, "monitor"));
        assertEquals(MetricRule.LESS, MetricRule.of("val_error", null, "monitor"));
    }

    @Test
    void regressionMetricsHaveTheirRules() {
        assertEquals(MetricRule.LESS, MetricRule.of("mae", null, "monitor"));
        assertEquals(MetricRule.LESS, MetricRule.of("rmse", null, "save-best"));
        assertEquals(MetricRule.LESS, MetricRule.of("mse", null, "save-best"));
        assertEquals(MetricRule.GREATER, MetricRule.of("r2", null, "monitor"));
    }

    @Test
    void anExplicitRuleWinsAndABadOneIsAnError() {
        assertEquals(MetricRule.LESS, MetricRule.of("accuracy", "less", "save-best"));
        assertEquals(MetricRule.GREATER, MetricRule.of("loss", "greater", "save-best"));
        BadInputException e = assertThrows(BadInputException.class, () -> MetricRule.of("loss", "bigger", "save-best"));
        assertEquals("rule = bigger: use greater or less", e.getMessage());
    }

    @Test
    void aNameThatTellsNothingNeedsARule() {
        BadInputException e = assertThrows(BadInputException.class, () -> MetricRule.of("score", null, "monitor"));
        assertEquals("monitor = score: cannot tell whether a greater or a less value is better; set rule = greater or"
                + " rule = less", e.getMessage());
    }

    @Test
    void betterIsStrict() {
        assertTrue(MetricRule.GREATER.better(2, 1));
        assertFalse(MetricRule.GREATER.better(1, 1));
        assertTrue(MetricRule.LESS.better(1, 2));
        assertFalse(MetricRule.LESS.better(Double.NaN, 2));
        assertEquals("greater", MetricRule.GREATER.id());
    }
}
