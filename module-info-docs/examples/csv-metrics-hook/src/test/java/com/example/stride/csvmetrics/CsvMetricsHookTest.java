package com.example.stride.csvmetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.testkit.Harness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hook on Stride's real epoch runner, found by name as a config selects it: the testkit's
 * harness builds it from HOCON merged onto this plugin's reference.conf, as {@code stride train} does.
 */
class CsvMetricsHookTest {
    @TempDir
    Path dir;

    @Test
    void writesOneRowPerValEpochWithTheEpochsAverages() throws Exception {
        Harness h = Harness.epochs(2, 4).in(dir).workflow("[[train, 1], [val, 1]]").hook("csv-metrics");
        assertEquals(RunOutcome.COMPLETED, h.run());
        List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(3, rows.size(), rows.toString());
        assertEquals("epoch,iter,accuracy,loss", rows.get(0));
        assertTrue(rows.get(1).startsWith("1,4,"), rows.toString());
        assertTrue(rows.get(2).startsWith("2,8,"), rows.toString());
    }

    @Test
    void theFileOptionNamesTheFile() throws Exception {
        Harness h = Harness.epochs(1, 2).in(dir).workflow("[[train, 1], [val, 1]]")
                .hook("csv-metrics", "file = \"val.csv\"");
        assertEquals(RunOutcome.COMPLETED, h.run());
        assertTrue(Files.exists(dir.resolve("val.csv")));
        assertTrue(Files.notExists(dir.resolve("metrics.csv")));
    }
}
